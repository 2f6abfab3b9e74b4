"""Command line: flask exchange seed-demo | create-superadmin | send-mail | requeue-mail."""

import click
from flask.cli import AppGroup

cli = AppGroup("exchange", help="Nachbarschaftsbörse commands.")


@cli.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep running; deliver new mail as it comes.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when idle.")
@click.option("--batch", default=50, show_default=True, help="Mails per SMTP connection.")
def send_mail(watch: bool, interval: float, batch: int) -> None:
    """Deliver pending e-mails from the outbox over SMTP (SIGTERM: finish the mail in hand)."""
    import signal
    import threading

    from flask import current_app
    from sqlalchemy.exc import OperationalError

    from .notifications.services import deliver_pending

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
    from .errors import ExchangeError
    from .extensions import db
    from .notifications.models import OutboxEmail
    from .notifications.services import requeue_failed, requeue_mail

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


@cli.command("send-digest")
def send_digest() -> None:
    """Queue the daily e-mail with new matches for everyone who chose the digest (run daily)."""
    from .extensions import db
    from .notifications.matches import send_digests

    count = send_digests()
    db.session.commit()
    click.echo(f"digests queued: {count}")


@cli.command("seed-demo")
@click.option("--force", is_flag=True, help="Also outside development (demo passwords are public).")
def seed_demo_command(force: bool) -> None:
    """Create the demo Kommunen, accounts and postings (idempotent)."""
    from flask import current_app

    from .demo import seed_demo
    from .extensions import db

    if current_app.config.get("ENV_NAME") != "development" and not force:
        raise click.ClickException(
            "seed-demo creates accounts with published passwords; use --force outside development."
        )
    accounts = seed_demo()
    db.session.commit()
    click.echo("Demo data is ready: http://127.0.0.1:5000/k/delbrueck/")
    click.echo("Demo accounts (e-mail / password / role):")
    for name, email, password, role in accounts:
        click.echo(f"  {email:<26} {password:<20} {role:<9} {name}")


@cli.command("create-superadmin")
@click.option("--email", prompt=True, help="E-mail address used to sign in.")
@click.option("--name", prompt=True, help="Display name.")
@click.option("--municipality", "slug", prompt=True, help="Slug of the operator's home Kommune.")
@click.password_option(help="Password (asked twice when not given).")
def create_superadmin(email: str, name: str, slug: str, password: str) -> None:
    """Create an operator account that manages Kommunen."""
    from .accounts.models import ROLE_SUPERADMIN, User
    from .accounts.passwords import hash_password, password_problem
    from .accounts.services import find_by_email
    from .extensions import db
    from .municipalities.tenancy import municipality_by_slug

    municipality = municipality_by_slug(slug)
    if municipality is None:
        raise click.ClickException(f"No Kommune with slug {slug!r}.")
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.ClickException(f"Password refused ({problem.replace('_', ' ')}).")
    if find_by_email(email) is not None:
        raise click.ClickException("An account with this e-mail address exists already.")
    first = municipality.districts[0] if municipality.districts else None
    from .geo import postcode_point

    point = first.point if first else postcode_point(municipality.postcodes[0])
    db.session.add(
        User(
            municipality_id=municipality.id,
            email=email.strip().lower(),
            password_hash=hash_password(password),
            display_name=name,
            district_id=first.id if first else None,
            postcode=first.postcode if first else municipality.postcodes[0],
            latitude=point.latitude,
            longitude=point.longitude,
            role=ROLE_SUPERADMIN,
        )
    )
    db.session.commit()
    click.echo(f"Superadmin {email} created.")
