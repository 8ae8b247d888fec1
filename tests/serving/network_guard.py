"""Refuse and record every outbound connection or name lookup a process attempts.

Installed by `guarded_serve.py` before the server starts; only loopback addresses and
Unix sockets pass. Each refusal appends a line to the log file, so a test can read them.
"""

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOCAL_NAMES = {None, "", "localhost", "ip6-localhost"}


class OutboundBlocked(ConnectionRefusedError):
    """A connection or lookup to a non-loopback address was refused by the guard."""


def is_local(host: Any) -> bool:
    """Whether `host` (a name, an address or None) stays on this machine's loopback."""
    if isinstance(host, bytes):
        host = host.decode()
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def install(log_path: Path) -> Callable[[], None]:
    """Patch socket connect/connect_ex/getaddrinfo; returns a function that undoes it."""
    originals = (socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo)
    log_path = Path(log_path)

    def refuse(kind: str, target: Any) -> OutboundBlocked:
        with log_path.open("a", encoding="utf-8") as log:
            log.write(f"blocked {kind} {target!r}\n")
        return OutboundBlocked(f"network guard: {kind} to {target!r} refused")

    def check(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
            raise refuse("connect", address)

    def connect(sock: socket.socket, address: Any) -> None:
        check(sock, address)
        return originals[0](sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        check(sock, address)
        return originals[1](sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local(host):
            raise refuse("getaddrinfo", host)
        return originals[2](host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
    with log_path.open("a", encoding="utf-8") as log:
        log.write("installed\n")

    def uninstall() -> None:
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = originals

    return uninstall
