"""The bare Flask endpoint the search benchmark compares against."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"
