"""Whether a post takes linkbacks, and the comment moderation policy as it applies to them.

Linkbacks go through the same policy as readers' comments (blocklist, hold list, "hold every
comment", notifications), with two rules swapped for their linkback counterparts.
"""

from django.conf import settings

from comments.moderation import Policy


def accepts_linkbacks(post, *, policy: Policy | None = None) -> bool:
    """The site-wide switch, the post's own ping status, and the policy's closing of old posts,
    which WordPress applies to pings as well as comments."""
    policy = policy or Policy.current()
    return settings.LINKBACKS_ACCEPT and post.pings_open and not policy.auto_closed(post)


class LinkbackPolicy(Policy):
    """`Policy.current()` called on this class gives the comment policy with its values.

    A post may close comments but keep pings open (WordPress's two switches), so "open" means
    `accepts_linkbacks`. And the per-address comment rate limit does not apply: one blog's
    server sends all of its pings from one address, and what linkbacks cost us, fetching the
    source, is rate-limited per source host instead (linkbacks.fetching).
    """

    def accepts_comments(self, post) -> bool:
        return accepts_linkbacks(post, policy=self)

    def over_rate_limit(self, ip_address) -> bool:
        return False
