"""
The searchable text of each post, one row per post.

Python keeps the rows current (`posts.search.index`); the database derives its own full-text
index from them (migration 0003): a weighted, GIN-indexed tsvector column on PostgreSQL, an FTS5
table kept in step by triggers on SQLite. Neither is part of the model, so Django never writes
them. Changing this model on SQLite rebuilds the table, which drops the triggers: a migration
that alters it must create them again.
"""

from django.db import models


class SearchDocument(models.Model):
    post = models.OneToOneField(
        "posts.Post", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    terms = models.TextField(blank=True, help_text="Category and tag names.")

    def __str__(self):
        return self.title
