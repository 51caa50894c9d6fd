from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kernel.backups import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into the database named by DATABASE_URL, "
        "and its uploaded files into MEDIA_ROOT. Refuses a database that has tables unless "
        "--force."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .dump (PostgreSQL) or .sqlite3 backup")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data already in the database"
        )
        parser.add_argument("--no-media", action="store_true", help="Leave out uploaded files")

    def handle(self, *args, file, force=False, no_media=False, **options):
        try:
            backup = backup_restore(path=file, force=force, media=not no_media)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(f"Database restored from {backup.database}")
        if backup.media:
            self.stdout.write(f"Uploaded files restored from {backup.media}")
