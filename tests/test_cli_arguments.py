"""Every command registered in the app's CLI refuses bad arguments with a message and a
non-zero exit, never a traceback: unknown tenants, rules and queues, years out of range,
files that are not what they should be, and text that is not text (a command-line argument
that is not UTF-8 reaches Python as lone surrogates)."""

from __future__ import annotations

import click
import pytest

from tests.factories import TenantFactory

#: What arrives for an argument holding the byte 0xff (not UTF-8), and one with NUL.
NOT_TEXT = ["\udcff", "a\x00b"]
#: Command groups the libraries register (Flask-Migrate, flask-smorest).
LIBRARIES = ("db", "openapi")


def commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


@pytest.fixture
def files(tmp_path) -> dict[str, str]:
    made = {"not JSON": b"{not json", "a JSON list": b'["a"]', "not UTF-8": b'{"a": "\xff"}'}
    for name, content in made.items():
        (tmp_path / name.replace(" ", "-")).write_bytes(content)
    return {name: str(tmp_path / name.replace(" ", "-")) for name in made} | {
        "missing": str(tmp_path / "missing" / "x.json")}


def good_arguments(path: tuple[str, ...], slug: str, n: int) -> dict[str, str]:
    """A valid value for each argument that needs one, so that only the bad one fails (a new
    tenant and account each time: nothing an earlier invocation made gets in the way)."""
    if path == ("tenant", "create"):
        return {"slug": f"xicheng{n}", "name": "西城区民政局",
                "admin_account": f"chief{n}@xicheng.gov.cn", "admin_password": "chief12345"}
    return {"slug": slug, "year": "2026", "month": "1"}


def bad_values(path: tuple[str, ...], param: click.Parameter, files: dict) -> list[str]:
    """Values ``param`` must refuse. The libraries' commands (``db``, ``openapi``) get text
    no command takes; the app's own commands, also what is wrong for each."""
    kind, name = param.type, param.name
    if getattr(param, "is_flag", False):
        return []
    if path[0] in LIBRARIES:
        return NOT_TEXT if isinstance(kind, click.types.StringParamType) else []
    if isinstance(kind, click.File):
        return [files["missing"]] if "w" in kind.mode else list(files.values())
    if isinstance(kind, click.Choice):
        return ["no-such-choice"]
    if isinstance(kind, click.DateTime):
        return ["2026-02-30", "x"]
    if isinstance(kind, click.types.IntParamType):  # ids, years, months
        return ["abc", "9" * 20, *({"year": ["0", "1999", "99999", "-5"],
                                    "month": ["0", "13"]}.get(name, []))]
    specific = {
        "slug": ["Bad Slug", "长" * 300] if path == ("tenant", "create") else ["no-such-tenant"],
        "slugs": ["no-such-tenant"], "codes": ["no-such-rule"], "queues": ["no-such-queue"],
        "name": ["", " ", "长" * 300], "admin_name": ["", "长" * 300],
        "admin_account": ["not-an-account", "长" * 300], "admin_password": ["short", "长" * 300],
        "locale": ["xx", "../../etc"],
        "account": ["not-an-account", "nobody@example.com", "13999999999", "长" * 300],
        "assignment": ["no-equals-sign", "no_such_rule=1", "notice_days=abc", "notice_days=1"],
        "start": ["2026-02-30", "x", "2000-01-01"],
    }
    if name not in specific:
        raise AssertionError(f"{' '.join(path)} {name}: say what values it must refuse")
    return NOT_TEXT + specific[name]


def invocations(app, slug: str, files: dict):
    n = 0
    for path, command in commands(app.cli):
        for param in command.params:
            for value in bad_values(path, param, files):
                n += 1
                good = good_arguments(path, slug, n)
                args = list(path)
                for other in command.params:
                    given = value if other is param else good.get(other.name)
                    if given is None:
                        continue
                    args += [given] if isinstance(other, click.Argument) else [other.opts[0], given]
                yield path, args


def parsed(app, path: tuple[str, ...], args: list[str]) -> str:
    """What parsing ``args`` says, without running the command: a library's command that
    took a value would act on the repository (write migrations, downgrade)."""
    command = app.cli
    for name in path:
        command = command.commands[name]
    try:
        with app.app_context():
            command.make_context(" ".join(path), args[len(path):])
    except click.ClickException as exc:
        return exc.format_message()
    return ""


def test_every_command_refuses_bad_arguments_with_a_message(app, db, files):
    runner = app.test_cli_runner()
    tenant = TenantFactory(slug="haidian")
    failures, tried = [], 0
    for path, args in invocations(app, tenant.slug, files):
        tried += 1
        if path[0] in LIBRARIES:
            if not parsed(app, path, args):
                failures.append(f"{args!r}: accepted")
            continue
        result = runner.invoke(args=args)
        said = result.output.strip()
        if (result.exit_code == 0 or not isinstance(result.exception, SystemExit | None)
                or "Traceback" in said or not said):
            failures.append(f"{args!r}: exit {result.exit_code}, {result.exception!r:.200}, "
                            f"said {said[-200:]!r}")
    assert tried > 80
    assert not failures, f"{len(failures)} of {tried}:\n" + "\n".join(failures)


def test_a_weak_admin_password_is_refused_with_a_message(app, db):
    """The issue's command: the password rule's message, in the installation's language."""
    result = app.test_cli_runner().invoke(args=[
        "tenant", "create", "xicheng", "西城区民政局", "--admin", "chief@xicheng.gov.cn",
        "--admin-password", "short"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "密码至少 8 位" in result.output

