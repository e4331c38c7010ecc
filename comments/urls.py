from django.urls import path, re_path

from . import feeds, views

app_name = "comments"

# A dated post's address, as in posts.urls; its comment feed hangs below it, as in WordPress.
DATED_POST = r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[^/]+)/"

urlpatterns = [
    path("comments/post/<int:pk>/", views.PostCommentView.as_view(), name="post"),
    path("comments/<int:pk>/", views.comment_permalink, name="permalink"),
    path("comments/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("comments/feed/", feeds.LatestCommentsFeed(), name="feed"),
    path("comments/feed/atom/", feeds.LatestCommentsAtomFeed(), name="feed_atom"),
    path("comments/feed/post/<int:pk>/", feeds.PostCommentsFeed(), name="post_feed_by_id"),
    path("comments/feed/post/<int:pk>/atom/", feeds.PostCommentsAtomFeed(),
         name="post_feed_by_id_atom"),
    re_path(DATED_POST + r"feed/$", feeds.PostCommentsFeed(), name="post_feed"),
    re_path(DATED_POST + r"feed/atom/$", feeds.PostCommentsAtomFeed(), name="post_feed_atom"),
]
