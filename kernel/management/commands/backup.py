from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kernel.backups import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database named by DATABASE_URL (pg_dump, or SQLite's backup API) to "
        "backups/<timestamp>.dump or .sqlite3, and MEDIA_ROOT's files beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write (default: backups/)")
        parser.add_argument("--no-media", action="store_true", help="Leave out uploaded files")

    def handle(self, *args, output=None, no_media=False, **options):
        try:
            backup = backup_create(output=output, media=not no_media)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(f"Database backed up to {backup.database}")
        if backup.media:
            self.stdout.write(f"Uploaded files backed up to {backup.media}")
