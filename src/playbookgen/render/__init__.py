"""Rendering a checked playbook: the MkDocs site and the print documents."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from playbookgen import codecache, text
from playbookgen.resources import resource_dir

EXTENSIONS = ["jinja2.ext.i18n"]
"""Jinja extensions of every playbookgen environment: ``_()``, ``{% trans %}`` (gettext)."""


def environment(
    playbook_root: Path,
    subdir: str,
    finalize: Callable[[Any], Any] | None = None,
    translations: gettext.NullTranslations | None = None,
) -> jinja2.Environment:
    """A Jinja environment for ``templates/<subdir>``: the playbook's own templates first,
    then the built-in ones. Strict (a missing value is an error) and autoescaping.
    Every fixed UI string goes through gettext (newstyle: ``{{ _("Level %(num)s", num=n) }}``),
    from ``translations`` or, without them, the English in the templates.
    Compiled templates are kept in the per-user code cache (see :mod:`playbookgen.codecache`)."""
    search = [playbook_root / "templates" / subdir, resource_dir("templates") / subdir]
    # Everything that changes the code Jinja generates, so no stale compiled template is used.
    settings = (
        f"jinja2 {jinja2.__version__} autoescape trim lstrip keep finalize={finalize is not None}"
        f" extensions={','.join(EXTENSIONS)} newstyle"
    )
    folder = codecache.cache_dir(f"templates-{subdir}-{codecache.key(settings)[:16]}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize,
        extensions=EXTENSIONS,
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder)) if folder is not None else None,
    )
    # The one place where the wording layer's translations reach the templates.
    if translations is None:
        env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    else:
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    if finalize is not None:
        _finalize_placeholders(env, finalize)
    _direct_gettext_alias(env, translations or gettext.NullTranslations(), finalize)
    env.filters["markdown"] = text.markdown
    env.filters["inline"] = text.inline
    env.filters["plain"] = text.plain
    return env


def _finalize_placeholders(env: jinja2.Environment, finalize: Callable[[Any], Any]) -> None:
    """Run ``finalize`` on every %(placeholder)s value of a message, as Jinja does on every
    ``{{ value }}``: a value formatted into a message must come out exactly as if printed."""
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        installed = env.globals[name]
        assert callable(installed)
        env.globals[name] = _finalizing(installed, finalize)


def _direct_gettext_alias(
    env: jinja2.Environment, translations: gettext.NullTranslations, finalize: Callable[[Any], Any] | None
) -> None:
    """``_()`` in templates as one plain call: the extension's alias goes through the template
    context twice per message, which showed in build times. Same result as newstyle gettext:
    the message is markup, its values escaped (and finalized, as printed values are)."""
    lookup = translations.gettext
    keep: Callable[[Any], Any] = finalize if finalize is not None else (lambda value: value)
    # A message without values comes out the same every time: worked out once per message
    # (most of the thousands of calls on a site; formatting markup is slow).
    fixed: dict[str, Markup] = {}

    def _(message: str, **variables: Any) -> Markup:
        if not variables:
            shown = fixed.get(message)
            if shown is None:
                shown = fixed[message] = Markup(lookup(message)) % {}
            return shown
        return Markup(lookup(message)) % {key: keep(value) for key, value in variables.items()}

    env.globals["_"] = _


def _finalizing(inner: Callable[..., Any], finalize: Callable[[Any], Any]) -> Callable[..., Any]:
    @jinja2.pass_context
    def call(__context: jinja2.runtime.Context, *args: Any, **variables: Any) -> Any:
        return inner(__context, *args, **{key: finalize(value) for key, value in variables.items()})

    return call
