import time

from django.core.management import BaseCommand

from archive.demo import DemoSize, generate


class Command(BaseCommand):
    help = "Create deterministic synthetic content with bulk inserts (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--comments", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, posts, comments, seed, **options):
        started = time.perf_counter()
        made = generate(DemoSize(posts=posts, comments=comments, seed=seed))
        self.stdout.write(self.style.SUCCESS(
            f"Created {made['posts']} posts and {made['comments']} comments "
            f"in {time.perf_counter() - started:.1f} s."))
