"""Helpers for reading rendered pages the way a reader (or an attacker) would."""

import lxml.html

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "base", "meta", "link", "style",
                  "frame", "frameset", "applet", "svg", "math"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href"}


def main_text(response):
    """The page's <main> only, so sidebar widgets don't answer for the content."""
    text = response.content.decode()
    return text[text.index("<main"):text.index("</main>")]


def unsafe_parts(html):
    """Every element, attribute or URL in `html` that could run script; empty means inert."""
    found = []
    for element in lxml.html.fragments_fromstring(f"<div>{html}</div>")[0].iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() in DANGEROUS_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name == "style":
                found.append(f"{element.tag}[{name}]")
            cleaned = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and cleaned.startswith(("javascript:", "vbscript:", "data:")):
                found.append(f"{element.tag}[{name}={value!r}]")
    return found


def form_fields(html, form_id="commentform"):
    """What a browser sends when the form is submitted: its own successful controls and those
    elsewhere on the page that name it in their `form` attribute."""
    page = lxml.html.fromstring(html)
    form = page.get_element_by_id(form_id)
    values = dict(form.form_values())
    for control in page.xpath("//input[@form=$id]", id=form_id):
        values[control.name] = control.value or ""
    # Browsers drop the newline that opens a <textarea>'s text (lxml keeps it).
    for textarea in form.iter("textarea"):
        values[textarea.name] = values[textarea.name].removeprefix("\n")
    return values
