"""Copies of the page cache's stored answers that a process served last (delivery/pagecache.py)."""

import os
import threading
from collections import OrderedDict

from django.conf import settings


class LocalEntries:
    """The stored answers this process served last, up to `budget` bytes of bodies: an answer read
    again while its versions are unchanged is replayed from here, without the GET of the entry
    (the versions come from the tracked copies, so a busy page costs no round trip at all). Each
    is the entry as Redis holds it: the versions it was built from and when it expires, so it is
    served exactly as long as Redis would serve it. Nothing here is another node's business: it
    is a copy any process makes again from Redis."""

    def __init__(self, budget: int):
        self.budget = budget
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = len(entry[2])
        if size * 4 > self.budget:  # one answer may not take more than a quarter of the room
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes += size - (len(old[2]) if old else 0)
            self._entries[key] = entry
            while self._bytes > self.budget:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[2])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


local_entries = LocalEntries(settings.PAGE_CACHE_LOCAL_BYTES)
os.register_at_fork(after_in_child=local_entries.clear)  # a worker starts with a room of its own
