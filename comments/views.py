"""
Thin views: receive the form (and give it back when its CSRF check failed), follow a comment's
permalink, unsubscribe from reply mail. The decisions are the policy's (comments.moderation) and
the writes are the services'.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from archive_site import ratelimit
from posts.models import Post

from . import display, readers, services
from .forms import CommentForm
from .models import Comment
from .moderation import Policy, Rejected
from .notifications import comment_for_token


class PostCommentView(View):
    """Where "Leave a Reply" is sent, as WordPress's wp-comments-post.php."""

    http_method_names = ["post"]

    def post(self, request, pk):
        form = self.bound_form(pk)
        if not self.policy.accepts_comments(self.post_object):
            return self.refuse(form, status=403)
        if not form.is_valid():
            return self.refuse(form, status=400)
        comment = form.get_comment_object()
        comment.ip_address = ratelimit.client_ip(request)
        comment.user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
        try:
            submission = services.submit_comment(comment=comment, policy=self.policy)
        except Rejected as rejection:
            form.add_error(None, rejection.reason)
            return self.refuse(form, status=rejection.status)
        if comment.status == Comment.Status.PENDING:
            readers.remember_pending(request, comment)
        location = display.where_shown(submission.comment, request)
        if location is None:
            # Filed as spam: the reader is told no more than any held comment's author.
            messages.info(request, _("Thank you. Your comment is awaiting moderation."))
            location = f"{self.post_object.get_absolute_url()}#comments"
        return redirect(location)

    def csrf_failed(self, pk):
        """The form came back without a valid CSRF token (archive_site.views.csrf_failure).
        Nothing is saved: the reader gets everything back, in a form with a new token."""
        form = self.bound_form(pk)
        form.add_error(None, _(
            "The page’s security token had expired or no longer matched, which happens when a "
            "page stays open for a long time, or after signing in or out in another tab. Please "
            "check your comment below and send it again."))
        return self.refuse(form, status=403)

    def bound_form(self, pk):
        self.post_object = get_object_or_404(Post.objects.visible_to(self.request.user), pk=pk)
        self.policy = Policy.current()
        return CommentForm(self.request.POST, post=self.post_object, policy=self.policy,
                           user=self.request.user)

    def refuse(self, form, *, status):
        """Show the form again with everything the reader wrote and why it was not taken."""
        # A post closed to comments gets the text back to keep, but no form to send it with.
        accepting = self.policy.accepts_comments(self.post_object)
        return render(self.request, "comments/rejected.html", {
            "post": self.post_object,
            "form": form.fresh_copy() if accepting else form,
            "accepting": accepting,
        }, status=status)


def comment_permalink(request, pk):
    """A comment's lasting address: redirects to the page of the thread that shows it now."""
    comments = Comment.objects.select_related("post").filter(
        post__in=Post.objects.visible_to(request.user))
    location = display.where_shown(get_object_or_404(comments, pk=pk), request)
    if location is None:
        raise Http404("No comment at this address.")
    return redirect(location)


class UnsubscribeView(TemplateView):
    """The signed link in reply mail. GET asks, POST acts: mail scanners follow links."""

    template_name = "comments/unsubscribe.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.comment = comment_for_token(kwargs["token"])

    def dispatch(self, request, *args, **kwargs):
        if self.comment is None:
            raise Http404("This unsubscribe link is not valid.")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        services.unsubscribe(comment=self.comment)
        return self.render_to_response(self.get_context_data(done=True))
