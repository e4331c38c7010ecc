"""
The public "Leave a Reply" form.

Its defences stack: CSRF (middleware), a signed timestamp and a honeypot (asked of the policy
here), then the policy's own rules in comments.services. The form only validates and returns an
unsaved comment; the view adds the address, user agent and user.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Comment


class CommentForm(forms.ModelForm):
    required_css_class = "required"
    # Required here although imported comments may lack one: every new reader gives one.
    author_email = forms.EmailField(
        label=_("Email"), max_length=254, help_text=_("Never published."),
    )
    author_url = forms.URLField(
        label=_("Website"), max_length=500, required=False, assume_scheme="https",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput)
    # People never see this field (it is hidden by CSS and from assistive technology); bots
    # that fill in every field give themselves away.
    homepage = forms.CharField(
        label=_("Leave this field empty"), required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "author_url", "body", "notify_replies"]
        labels = {"author_name": _("Name"), "body": _("Comment"),
                  "notify_replies": _("Email me when someone replies to my comment")}
        help_texts = {"notify_replies": ""}
        widgets = {
            "author_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "body": forms.Textarea(attrs={"rows": 8, "cols": 45}),
        }

    def __init__(self, *args, post, policy, user=None, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.post, self.policy = post, policy
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["author_email"].widget.attrs["autocomplete"] = "email"
        self.fields["author_url"].widget.attrs["autocomplete"] = "url"
        self.fields["token"].initial = policy.issue_token(post)
        if self.user is not None:
            # Signed-in readers are known already: no name, email or website to type.
            for name in ("author_name", "author_email", "author_url"):
                del self.fields[name]

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.approved().filter(post=self.post, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError(_("The comment you are replying to is no longer there. "
                                          "Your text is kept below: send it as a new comment."))
        return parent

    def clean(self):
        cleaned = super().clean()
        problem = self.policy.honeypot_problem(cleaned.get("homepage", ""))
        if not problem and "token" in cleaned:
            problem = self.policy.token_problem(cleaned["token"], self.post)
        if problem:
            raise forms.ValidationError(problem)
        return cleaned

    def fresh_copy(self):
        """The same form with what the reader typed and a new timestamp, to send again."""
        data = self.data.copy()
        data["token"] = self.policy.issue_token(self.post)
        data["parent"] = self.data.get("parent", "") if "parent" not in self.errors else ""
        copy = type(self)(data, post=self.post, policy=self.policy, user=self.user)
        copy._errors = self._errors
        return copy

    def get_comment_object(self) -> Comment:
        comment = self.save(commit=False)
        comment.post = self.post
        comment.parent = self.cleaned_data["parent"]
        if self.user is not None:
            comment.user = self.user
            comment.author_name = self.user.get_full_name() or self.user.get_username()
            comment.author_email = self.user.email
        return comment


class StaffReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 8, "cols": 60}))
