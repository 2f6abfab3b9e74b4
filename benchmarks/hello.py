"""The bare Flask app the board's throughput is compared with (DESIGN.md §10)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """The smallest useful response."""
    return "Hello"
