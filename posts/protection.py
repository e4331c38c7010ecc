"""
WordPress-style post passwords: a protected post shows a password form in place of its text
(and its comments) until the reader gives the password.

As in WordPress, the grant is a cookie that lasts ten days. Ours holds no password: it holds an
HMAC of the post and its password under the site's secret key, so it cannot be forged, opens
only that post, and stops working when the password changes. Unlike WordPress, tries are
limited per address (POSTS_PASSWORD_TRIES), so a short password cannot be guessed by brute force.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from archive_site import ratelimit

COOKIE_PREFIX = "post-pass-"
COOKIE_MAX_AGE = 10 * 24 * 60 * 60  # WordPress's own ten days
FORM_FIELD = "post_password"


class PasswordForm(forms.Form):
    post_password = forms.CharField(
        label=_("Password"), strip=False, max_length=255,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, post, too_many_tries=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.too_many_tries = too_many_tries

    def clean_post_password(self):
        if self.too_many_tries:
            raise forms.ValidationError(
                _("Too many tries at this password from your address. Please try again in "
                  "%(minutes)d minutes."),
                params={"minutes": settings.POSTS_PASSWORD_TRIES_PERIOD // 60})
        given = self.cleaned_data[FORM_FIELD]
        if not constant_time_compare(given, self.post.password):
            raise forms.ValidationError(_("That is not the password for this post."))
        return given


def _grant(post) -> str:
    return salted_hmac("posts.protection", f"{post.pk}:{post.password}", algorithm="sha256").hexdigest()


def is_unlocked(request, post) -> bool:
    """Whether the reader may see this post's text: no password, or the right cookie."""
    if not post.password:
        return True
    return constant_time_compare(request.COOKIES.get(f"{COOKIE_PREFIX}{post.pk}", ""), _grant(post))


def unlock(request, response, post) -> None:
    response.set_cookie(
        f"{COOKIE_PREFIX}{post.pk}", _grant(post), max_age=COOKIE_MAX_AGE,
        path=request.path, secure=request.is_secure(), httponly=True, samesite="Lax",
    )


class PasswordProtectedMixin:
    """For a post's detail view: `post_locked` and `password_form` in the context, and a POST
    handler that checks the password and sends the reader back to the post, unlocked."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locked = not is_unlocked(self.request, self.object)
        context["post_locked"] = locked
        if locked:
            context.setdefault("password_form", PasswordForm(post=self.object))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.object.password:
            # The same address shows the form or the text depending on the reader's cookie:
            # no shared cache may keep either for someone else.
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, private=True)
        return response

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.password:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        tries = ratelimit.hit(
            f"posts:password:{self.object.pk}:{ratelimit.address_key(ratelimit.client_ip(request))}",
            window=settings.POSTS_PASSWORD_TRIES_PERIOD)
        form = PasswordForm(request.POST, post=self.object,
                            too_many_tries=tries > settings.POSTS_PASSWORD_TRIES)
        if not form.is_valid():
            response = self.render_to_response(
                self.get_context_data(object=self.object, password_form=form),
                status=429 if form.too_many_tries else 403)
            if form.too_many_tries:
                response["Retry-After"] = str(settings.POSTS_PASSWORD_TRIES_PERIOD)
            return response
        response = HttpResponseRedirect(request.path)
        unlock(request, response, self.object)
        return response
