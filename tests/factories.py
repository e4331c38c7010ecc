"""Factories with neutral sample content: gardens, bicycles, bread."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from comments.models import Comment
from posts.models import Author, Blog, Category, Post, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")


class BlogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blog

    title = factory.Sequence(lambda n: f"Allotment Notes {n}")
    slug = factory.Sequence(lambda n: f"allotment-notes-{n}")
    tagline = "Growing vegetables on a small plot"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Gardener {n}")
    slug = factory.Sequence(lambda n: f"gardener-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Vegetables {n}")
    slug = factory.Sequence(lambda n: f"vegetables-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"compost {n}")
    slug = factory.Sequence(lambda n: f"compost-{n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    kind = Post.Kind.POST
    title = factory.Sequence(lambda n: f"Planting beans, week {n}")
    slug = factory.Sequence(lambda n: f"planting-beans-week-{n}")
    body = "The runner beans went in today.\n\nThe soil was still cold."
    status = Post.Status.PUBLISHED
    published_at = factory.Sequence(
        lambda n: timezone.make_aware(datetime.datetime(2020, 1, 1, 12)) + datetime.timedelta(days=n)
    )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PageFactory(PostFactory):
    kind = Post.Kind.PAGE
    title = factory.Sequence(lambda n: f"About the plot {n}")
    slug = factory.Sequence(lambda n: f"about-the-plot-{n}")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.LazyAttribute(lambda c: f"{c.author_name.replace(' ', '.').lower()}@example.org")
    body = "Lovely beans. Mine came up a week later."
    status = Comment.Status.APPROVED
