"""A real IMAP server for the polling tests: Dovecot (Debian's dovecot-imapd, installed by
``make system-deps``) run from a configuration of its own in a temporary folder, listening
on a free local port, one user in a passwd-file, mail in Maildir."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.smtp import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "support", "imap-test-pass"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


class Dovecot:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="clausier-dovecot-"))
        self.port = free_port()
        self.config = self.root / "dovecot.conf"

    def __enter__(self) -> Dovecot:
        owner = pwd.getpwnam("dovecot")
        os.chmod(self.root, 0o755)
        (self.root / "mail").mkdir()
        os.chown(self.root / "mail", owner.pw_uid, owner.pw_gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.config.write_text(
            CONFIG.format(root=self.root, port=self.port, uid=owner.pw_uid, gid=owner.pw_gid)
        )
        subprocess.run([DOVECOT, "-c", str(self.config)], check=True, timeout=30)
        deadline = time.monotonic() + 15
        while True:
            try:
                with imaplib.IMAP4("127.0.0.1", self.port) as probe:
                    probe.noop()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run([DOVECOT, "-c", str(self.config), "stop"], check=False, timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, *, seen: bool = False) -> None:
        with self.client() as client:
            flags = "(\\Seen)" if seen else None
            client.append("INBOX", flags, None, raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))

    def empty(self) -> None:
        """Every message of INBOX deleted."""
        with self.client() as client:
            _, (count,) = client.select("INBOX")
            if int(count):
                client.store("1:*", "+FLAGS", "(\\Deleted)")
                client.expunge()

    def flags(self) -> list[bytes]:
        """The flags of every message of INBOX, in order."""
        with self.client() as client:
            client.select("INBOX")
            _, data = client.fetch("1:*", "(FLAGS)")
            return [line for line in data if line]
