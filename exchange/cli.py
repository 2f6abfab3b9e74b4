"""Command line: a fresh installation's accounts and Kommunen, mail, daily jobs, backup, demo."""

from __future__ import annotations

import csv
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from .accounts.models import ROLE_ADMIN, ROLE_SUPERADMIN
from .accounts.parents import remove_unconfirmed_minors
from .accounts.services import create_staff_account, find_by_email, remove_unconfirmed_accounts
from .accounts.sessions import remove_stale_sessions
from .backup import BackupError, backup, restore
from .core.idempotency import prune
from .demo import seed_demo
from .errors import ExchangeError
from .extensions import db
from .ledger.services import prune_consent_records, prune_ledger
from .mail.models import OutboxEmail
from .mail.services import deliver_pending, prune_outbox, requeue_failed, requeue_mail
from .matching.notify import send_digests
from .municipalities.models import ALL_KINDS
from .municipalities.tenancy import municipality_by_slug
from .notifications import reminders
from .operator.services import build_municipality, promote_to_admin
from .postings.draft_services import prune_drafts

cli = AppGroup("exchange", help="Nachbarschaftsbörse commands.")


@cli.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep running; deliver new mail as it comes.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when idle.")
@click.option("--batch", default=50, show_default=True, help="Mails per SMTP connection.")
def send_mail(watch: bool, interval: float, batch: int) -> None:
    """Deliver pending e-mails from the outbox over SMTP (SIGTERM: finish the mail in hand)."""
    stopping = threading.Event()
    previous = {}
    if watch:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, lambda *_args: stopping.set())
    try:
        while not stopping.is_set():
            try:
                sent, failed = deliver_pending(limit=batch, should_stop=stopping.is_set)
            except OperationalError:
                if not watch:
                    raise
                # Database away or locked for long: claims run out, nothing is lost; go on.
                current_app.logger.exception("Mail worker: database error, trying again")
                stopping.wait(interval)
                continue
            if sent or failed or not watch:
                click.echo(f"sent {sent}, failed {failed}")
            if not watch:
                return
            if not (sent or failed):
                # Idle: nothing was due. While there is work, the next batch starts at once.
                stopping.wait(interval)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@cli.command("requeue-mail")
@click.option("--id", "mail_id", type=int, help="Requeue this mail.")
@click.option("--all-failed", is_flag=True, help="Requeue every mail given up for good.")
def requeue_mail_command(mail_id: int | None, all_failed: bool) -> None:
    """Send mail that was given up for good again, with a fresh retry window."""
    if (mail_id is None) == (not all_failed):
        raise click.UsageError("Give either --id N or --all-failed.")
    if all_failed:
        count = requeue_failed()
        db.session.commit()
        click.echo(f"requeued {count}")
        return
    mail = db.session.get(OutboxEmail, mail_id)
    if mail is None:
        raise click.ClickException(f"No mail with id {mail_id}.")
    try:
        requeue_mail(mail)
    except ExchangeError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo("requeued 1")


def _digests() -> int:

    return send_digests()


def _prune_outbox() -> int:

    return prune_outbox()


def _remove_unconfirmed_accounts() -> int:

    return remove_unconfirmed_accounts()


def _remove_unconfirmed_minors() -> int:

    return remove_unconfirmed_minors()


def _job_reminders() -> int:

    return reminders.send_job_reminders()


def _expiry_reminders() -> int:

    return reminders.send_expiry_reminders()


def _past_dated_postings() -> int:

    return reminders.remove_past_dated_postings()


def _remove_stale_sessions() -> int:

    return remove_stale_sessions()


def _prune_idempotency_keys() -> int:

    return prune()


def _prune_drafts() -> int:

    return prune_drafts()


def _prune_consent_records() -> int:

    return prune_consent_records()


def _prune_ledger() -> int:

    return prune_ledger()


# Everything scheduled runs from `flask exchange daily` (one systemd timer or cron line).
# Each job returns how many things it did; it is committed on its own, so one failing job
# neither undoes nor stops the others. Add new daily work here.
DAILY_JOBS: list[tuple[str, Callable[[], int]]] = [
    ("digests", _digests),
    ("outbox pruned", _prune_outbox),
    ("unconfirmed accounts removed", _remove_unconfirmed_accounts),
    ("accounts without a parent's confirmation removed", _remove_unconfirmed_minors),
    ("job reminders", _job_reminders),
    ("expiry reminders", _expiry_reminders),
    ("past dated postings off the board", _past_dated_postings),
    ("stale sessions removed", _remove_stale_sessions),
    ("old form tokens removed", _prune_idempotency_keys),
    ("old unfinished postings removed", _prune_drafts),
    ("old pseudonymised ledger entries removed", _prune_ledger),
    ("consent records of erased accounts removed", _prune_consent_records),
]


@cli.command("daily")
def daily() -> None:
    """Run every daily job (DAILY_JOBS); exit code 1 when any of them failed."""
    failed = []
    for name, job in DAILY_JOBS:
        try:
            count = job()
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("daily job %s failed", name)
            failed.append(name)
            click.echo(f"{name}: failed", err=True)
        else:
            click.echo(f"{name}: {count}")
    if failed:
        raise click.ClickException(f"failed: {', '.join(failed)}")


@cli.command("send-digest")
def send_digest() -> None:
    """Queue the daily e-mail with new matches for everyone who chose the digest (run daily)."""
    count = send_digests()
    db.session.commit()
    click.echo(f"digests queued: {count}")


@cli.command("seed-demo")
@click.option("--force", is_flag=True, help="Also outside development (demo passwords are public).")
def seed_demo_command(force: bool) -> None:
    """Create the demo Kommunen, accounts and postings (idempotent)."""
    if current_app.config.get("ENV_NAME") != "development" and not force:
        raise click.ClickException(
            "seed-demo creates accounts with published passwords; use --force outside development."
        )
    accounts = seed_demo()
    db.session.commit()
    if current_app.config["MAIL_SEND_AFTER_REQUEST"]:
        # As after a request in development: the mails of the demo's own story (address
        # confirmations, matches) go out now, not with the next visitor's request.
        while any(deliver_pending()):
            pass
    click.echo("Demo data is ready: http://127.0.0.1:5000/k/delbrueck/")
    click.echo("Demo accounts (e-mail / password / role):")
    for name, email, password, role in accounts:
        click.echo(f"  {email:<26} {password:<20} {role:<9} {name}")


def _fail(error) -> click.ClickException:
    """A service's ExchangeError as a command-line error."""
    return click.ClickException(str(error.message))


@cli.command("create-superadmin")
@click.option("--email", prompt=True, help="E-mail address used to sign in.")
@click.option("--name", prompt=True, help="Display name.")
@click.option(
    "--municipality", "slug", default=None, help="Slug of the operator's home Kommune (optional)."
)
@click.password_option(help="Password (asked twice when not given).")
def create_superadmin(email: str, name: str, slug: str | None, password: str) -> None:
    """Create an operator account that manages Kommunen; works on an empty database."""
    municipality = _municipality(slug) if slug else None
    try:
        create_staff_account(
            email=email,
            password=password,
            display_name=name,
            role=ROLE_SUPERADMIN,
            municipality=municipality,
        )
    except ExchangeError as error:
        raise _fail(error) from None
    db.session.commit()
    click.echo(f"Superadmin {email} created.")


def _municipality(slug: str):

    municipality = municipality_by_slug(slug)
    if municipality is None:
        raise click.ClickException(f"No Kommune with slug {slug!r}.")
    return municipality


def _district_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Rows (line number, [name, postcode(, latitude, longitude)]) of an Ortsteile CSV file."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        columns = set(reader.fieldnames or [])
        if not {"name", "postcode"} <= columns:
            raise click.ClickException(
                f"{path}: the first line must name the columns name,postcode[,latitude,longitude]."
            )
        rows = []
        for row in reader:
            fields = [(row.get("name") or "").strip(), (row.get("postcode") or "").strip()]
            latitude = (row.get("latitude") or "").strip()
            longitude = (row.get("longitude") or "").strip()
            if latitude or longitude:
                fields += [latitude, longitude]
            rows.append((reader.line_num, fields))
    return rows


@cli.command("create-municipality")
@click.option("--slug", prompt=True, help="Short name in the address: /k/<slug>/.")
@click.option("--name", prompt=True, help="Name of the Kommune.")
@click.option("--postcodes", prompt=True, help="Its postcodes, separated by commas.")
@click.option(
    "--districts",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV file of Ortsteile: name,postcode[,latitude,longitude] (PLZ centroid if empty).",
)
def create_municipality(slug: str, name: str, postcodes: str, districts: Path | None) -> None:
    """Create a Kommune with all four Börsen; edit the rest in the operator area."""
    values = {
        "name": name.strip(),
        "slug": slug.strip().lower(),
        "postcodes": postcodes,
        "districts": _district_rows(districts) if districts else "",
        "enabled_kinds": list(ALL_KINDS),
        "theme_color": "#0b5ea8",
        "requires_approval": False,
    }
    if not values["name"]:
        raise click.ClickException("The name must not be empty.")
    try:
        municipality = build_municipality(values)
    except ExchangeError as error:
        raise _fail(error) from None
    db.session.commit()
    click.echo(
        f"Kommune {municipality.name} created: /k/{municipality.slug}/ "
        f"({len(municipality.postcodes)} PLZ, {len(municipality.districts)} Ortsteile)."
    )


@cli.command("create-admin")
@click.option("--municipality", "slug", prompt=True, help="Slug of the Kommune.")
@click.option("--email", prompt=True, help="E-mail address used to sign in.")
@click.option("--name", default=None, help="Display name (for a new account).")
@click.option("--password", default=None, help="Password (for a new account; asked when missing).")
def create_admin(slug: str, email: str, name: str | None, password: str | None) -> None:
    """Make an account admin of a Kommune: creates it, or promotes the Kommune's existing one."""
    municipality = _municipality(slug)
    try:
        if find_by_email(email) is not None:
            user = promote_to_admin(municipality, email)
            verb = "is now"
        else:
            if name is None:
                name = click.prompt("Name")
            if password is None:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = create_staff_account(
                email=email,
                password=password,
                display_name=name,
                role=ROLE_ADMIN,
                municipality=municipality,
            )
            verb = "created as"
    except ExchangeError as error:
        raise _fail(error) from None
    db.session.commit()
    click.echo(f"{user.email} {verb} admin of {municipality.name}: /k/{municipality.slug}/admin/")


@cli.command("backup")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Back up the database (SQLite backup API or pg_dump) and the upload folder into TARGET."""
    try:
        manifest = backup(target)
    except (BackupError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Backup of the {manifest['database']} database (revision {manifest['alembic_revision']})"
        f" and {manifest['upload_files']} uploaded files in {target}"
    )


@cli.command("restore")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(source: Path) -> None:
    """Load a backup from SOURCE into the configured, empty database and the upload folder."""
    try:
        manifest = restore(source)
    except (BackupError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the backup of {manifest['created_at']} from {source}.")
