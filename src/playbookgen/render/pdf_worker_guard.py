"""Imported only by the PDF fork server, as its first preload: the fork server ends when the
build that started it ends, even when the build is killed with SIGKILL and cannot clean up;
its workers end with it (see ``pdf.die_with_parent``). Never import this elsewhere."""

from __future__ import annotations

from playbookgen.render.pdf import die_with_parent

die_with_parent()
