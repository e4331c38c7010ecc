"""Pingback 1.0 over XML-RPC, with the standard library's dispatcher.

`pingback.ping(sourceURI, targetURI)` answers a string, or a fault with the spec's codes (see
linkbacks.verification). The introspection methods (`system.listMethods` and friends) come
with the dispatcher. Anything that is not a well-formed call to a known method with the right
number of arguments gets one of the interoperable fault codes of the XML-RPC "specification for
fault code interoperability" instead of a Python traceback.

Requests are parsed by defusedxml's parser: no DTDs, entities or external references, so no
billion-laughs expansion and no file reads. The view caps the request size before this runs.
"""

import inspect
import logging
import xmlrpc.client
from dataclasses import dataclass
from xml.parsers.expat import ExpatError
from xmlrpc.server import SimpleXMLRPCDispatcher

from defusedxml import DefusedXmlException
from defusedxml.xmlrpc import DefusedExpatParser

from . import receiving
from .verification import LinkbackError

logger = logging.getLogger(__name__)

PARSE_ERROR = -32700
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603


def loads(data: bytes) -> tuple[tuple, str | None]:
    """`xmlrpc.client.loads` with defusedxml's parser: (params, method name or None).

    Raises ValueError for anything that is not well-formed XML-RPC, and xmlrpc.client.Fault
    for a fault response.
    """
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    try:
        parser.feed(data)
        parser.close()
        return unmarshaller.close(), unmarshaller.getmethodname()
    except (ExpatError, DefusedXmlException, xmlrpc.client.ResponseError, IndexError, KeyError,
            TypeError) as error:
        # Unmarshaller fails with IndexError or KeyError on misnested or unknown elements.
        raise ValueError(f"not well-formed XML-RPC: {type(error).__name__}: {error}") from error


@dataclass(frozen=True)
class Caller:
    """Who is calling, as the view saw them."""

    hosts: tuple[str, ...]  # the host names the request reached us by
    ip_address: str | None
    user_agent: str


class PingbackService:
    def __init__(self, caller: Caller):
        self.caller = caller

    def ping(self, source_uri, target_uri):
        """Notifies the server that a page links to one of its posts."""
        if not (isinstance(source_uri, str) and isinstance(target_uri, str)):
            raise xmlrpc.client.Fault(INVALID_PARAMS, "sourceURI and targetURI must be strings")
        try:
            receiving.receive_pingback(
                source_url=source_uri, target_url=target_uri, hosts=self.caller.hosts,
                ip_address=self.caller.ip_address, user_agent=self.caller.user_agent,
            )
        except LinkbackError as error:
            raise xmlrpc.client.Fault(error.fault_code, str(error)) from error
        return f"Pingback from {source_uri} to {target_uri} registered. Thank you."


def dispatcher_for(caller: Caller) -> SimpleXMLRPCDispatcher:
    dispatcher = SimpleXMLRPCDispatcher(allow_none=False, encoding="utf-8")
    dispatcher.register_function(PingbackService(caller).ping, "pingback.ping")
    dispatcher.register_introspection_functions()
    return dispatcher


def respond(body: bytes, *, caller: Caller) -> bytes:
    """The XML-RPC response to the request `body`: a result or a fault, never an exception."""
    try:
        params, method = loads(body)
    except ValueError as error:
        return _fault(PARSE_ERROR, str(error))
    except xmlrpc.client.Fault:
        return _fault(PARSE_ERROR, "a fault is a response, not a call")
    if method is None:
        return _fault(PARSE_ERROR, "not a methodCall")
    dispatcher = dispatcher_for(caller)
    function = dispatcher.funcs.get(method)
    if function is None:
        return _fault(METHOD_NOT_FOUND, f"no such method: {method!r}")
    try:
        inspect.signature(function).bind(*params)
    except TypeError as error:
        return _fault(INVALID_PARAMS, f"{method}: {error}")
    try:
        result = dispatcher._dispatch(method, params)
    except xmlrpc.client.Fault as fault:
        return _fault(fault.faultCode, fault.faultString)
    except Exception:
        logger.exception("XML-RPC method %s failed", method)
        return _fault(INTERNAL_ERROR, "internal error")
    return xmlrpc.client.dumps((result,), methodresponse=True, encoding="utf-8").encode("utf-8")


def _fault(code: int, message: str) -> bytes:
    return xmlrpc.client.dumps(xmlrpc.client.Fault(code, message), encoding="utf-8").encode("utf-8")
