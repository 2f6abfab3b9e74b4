"""Command line: flask exchange seed-demo | create-superadmin | send-mail."""

import click
from flask.cli import AppGroup

cli = AppGroup("exchange", help="Nachbarschaftsbörse commands.")


@cli.command("send-mail")
@click.option("--watch", is_flag=True, help="Keep running and deliver new mail every few seconds.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def send_mail(watch: bool, interval: float) -> None:
    """Deliver pending e-mails from the outbox over SMTP."""
    import time

    from .notifications.services import deliver_pending

    while True:
        sent, failed = deliver_pending()
        if sent or failed or not watch:
            click.echo(f"sent {sent}, failed {failed}")
        if not watch:
            return
        time.sleep(interval)


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
