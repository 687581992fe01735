"""Keep every outlet crawling on time through scrapyd: ``tracker schedule``.

scrapyd runs the deployed project's spiders as jobs; this module only talks to its JSON API
(``listspiders.json``, ``listjobs.json``, ``schedule.json``) and decides, round after round,
which outlets get a new job. An outlet whose previous job is still pending or running is
skipped, so a slow crawl never piles up a queue of copies of itself.

Several nodes (``--scrapyd URL,URL``): each round reads every node's job list, so an outlet
running anywhere is skipped everywhere (politeness is per outlet); a new job goes to the node
with the fewest pending and running jobs, counting those placed earlier in the same round; a
node that does not answer is skipped for the round with one log line and its outlets go to the
others. Nothing is remembered between rounds: the nodes' job lists are the whole state. Two
schedulers that may run at once share a lock file for the length of a round (read, decide,
schedule), so they never both schedule one outlet; see :func:`round_lock`.

Only the standard library is used (urllib), so the scheduler needs nothing beyond the project.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("tracker.scrapyd")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ScrapydError(Exception):
    """A user-facing failure talking to scrapyd: one line, no traceback needed."""


class ScrapydUnreachable(ScrapydError):
    """The node did not answer at all (refused, timed out, reset): try another one."""


class ScrapydClient:
    """A small client of scrapyd's JSON API.

    ``base_url`` may carry credentials (``http://user:pass@host:6800``) for a scrapyd with
    ``username``/``password`` set; they are sent as HTTP basic auth and never shown in errors.
    """

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        parts = urllib.parse.urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ScrapydError(f"not a scrapyd URL: {base_url!r} (expected e.g. http://127.0.0.1:6800)")
        self._auth: str | None = None
        if parts.username is not None:
            credentials = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self._auth = "Basic " + base64.b64encode(credentials.encode()).decode()
        netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        if ":" in parts.hostname:  # IPv6 literal
            netloc = f"[{parts.hostname}]" + ("" if parts.port is None else f":{parts.port}")
        # Without credentials: this is the form that appears in messages.
        self.base_url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/") + "/", "", ""))
        self.timeout = timeout

    # --- API ----------------------------------------------------------------------------

    def daemon_status(self) -> dict[str, Any]:
        return self._call("GET", "daemonstatus.json")

    def list_projects(self) -> list[str]:
        return list(self._call("GET", "listprojects.json").get("projects", []))

    def list_spiders(self, project: str) -> list[str]:
        return list(self._call("GET", "listspiders.json", [("project", project)]).get("spiders", []))

    def list_jobs(self, project: str) -> dict[str, list[dict[str, Any]]]:
        answer = self._call("GET", "listjobs.json", [("project", project)])
        return {state: list(answer.get(state) or []) for state in ("pending", "running", "finished")}

    def schedule(self, project: str, spider: str, settings: Mapping[str, str] | None = None) -> str:
        fields = [("project", project), ("spider", spider)]
        # scrapyd takes one `setting` field per Scrapy setting, as NAME=VALUE.
        fields += [("setting", f"{name}={value}") for name, value in (settings or {}).items()]
        answer = self._call("POST", "schedule.json", fields)
        job = answer.get("jobid")
        if not job:
            raise ScrapydError(f"scrapyd at {self.base_url} scheduled {spider} but returned no job id")
        return str(job)

    # --- transport ----------------------------------------------------------------------

    def _call(self, method: str, endpoint: str, fields: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
        url = self.base_url + endpoint
        encoded = urllib.parse.urlencode(list(fields))
        data: bytes | None = None
        if method == "GET":
            url = f"{url}?{encoded}" if encoded else url
        else:
            data = encoded.encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        if self._auth:
            request.add_header("Authorization", self._auth)
        where = f"scrapyd at {self.base_url}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only, checked above)
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = _error_message(exc.read()) or exc.reason
            hint = " (check the username and password in the URL)" if exc.code in (401, 403) else ""
            if exc.code == 404:
                hint = " (is this scrapyd's address?)"
            raise ScrapydError(f"{where} answered HTTP {exc.code} to {endpoint}: {detail}{hint}") from None
        except urllib.error.URLError as exc:
            raise ScrapydUnreachable(f"cannot reach {where}: {_reason(exc.reason, self.timeout)}") from None
        except (TimeoutError, socket.timeout):
            raise ScrapydUnreachable(f"cannot reach {where}: no answer within {self.timeout:g}s") from None
        except (OSError, ValueError) as exc:  # reset connections, broken HTTP
            raise ScrapydUnreachable(f"cannot reach {where}: {exc}") from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise ScrapydError(f"{where} answered {endpoint} with something that is not JSON (is this scrapyd?)") from None
        if not isinstance(answer, dict):
            raise ScrapydError(f"{where} answered {endpoint} with unexpected JSON (is this scrapyd?)")
        if answer.get("status") != "ok":
            message = _one_line(str(answer.get("message") or answer.get("status") or "unknown error"))
            raise ScrapydError(f"{where} refused {endpoint}: {message}")
        return answer


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is scrapyd running, and on this port?)"
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g}s"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror or reason})"
    return _one_line(str(getattr(reason, "strerror", None) or reason))


def _error_message(body: bytes) -> str:
    try:
        answer = json.loads(body)
    except ValueError:
        return ""
    return _one_line(str(answer.get("message") or "")) if isinstance(answer, dict) else ""


def _one_line(text: str, width: int = 300) -> str:
    # scrapyd's messages can be whole tracebacks of the runner (e.g. a broken egg): keep the end.
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= width else line[: width - 1] + "…"


# --- the scheduler ------------------------------------------------------------------------------


def parse_nodes(urls: str | Sequence[str]) -> list[ScrapydClient]:
    """One client per scrapyd URL of a comma-separated list (duplicates dropped)."""
    parts = urls.split(",") if isinstance(urls, str) else list(urls)
    unique = list(dict.fromkeys(part.strip() for part in parts if part.strip()))
    if not unique:
        raise ScrapydError("no scrapyd URL given (expected e.g. http://127.0.0.1:6800)")
    return [ScrapydClient(url) for url in unique]


def default_lock_path(project: str) -> Path:
    return Path(tempfile.gettempdir()) / f"tracker-schedule-{project}-{os.getuid()}.lock"


@contextlib.contextmanager
def round_lock(path: Path | None) -> Iterator[None]:
    """Hold ``path`` locked (``flock``) for one round, so concurrent rounds run one after the other.

    scrapyd has no "schedule unless one is queued": between reading the job lists and
    scheduling, another scheduler could schedule the same outlet. Rounds holding the same lock
    cannot interleave, so the second one sees the first one's jobs. The lock covers schedulers
    on one host (or a file system with working ``flock``); ``None`` takes no lock.
    """
    if path is None:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_nodes(
    clients: Sequence[ScrapydClient], project: str
) -> dict[ScrapydClient, dict[str, list[dict[str, Any]]]]:
    """Every answering node's job lists; a silent node is logged once and left out.

    Raises the last failure when no node answers.
    """
    answers: dict[ScrapydClient, dict[str, list[dict[str, Any]]]] = {}
    failure: ScrapydError | None = None
    for client in clients:
        try:
            answers[client] = client.list_jobs(project)
        except ScrapydError as exc:
            failure = exc
            if len(clients) > 1:
                log.warning("node %s skipped this round: %s", client.base_url, exc)
    if not answers:
        assert failure is not None
        raise failure
    return answers


def active_jobs(
    answers: Mapping[ScrapydClient, Mapping[str, list[dict[str, Any]]]],
) -> dict[str, tuple[ScrapydClient, str, str]]:
    """Outlet -> (node, job id, state) of a pending or running job anywhere (running wins)."""
    active: dict[str, tuple[ScrapydClient, str, str]] = {}
    for state in ("running", "pending"):
        for client, jobs in answers.items():
            for job in jobs[state]:
                spider = job.get("spider")
                if spider and spider not in active:
                    active[spider] = (client, str(job.get("id")), state)
    return active


def schedule_round(
    clients: ScrapydClient | Sequence[ScrapydClient],
    project: str,
    outlets: Iterable[str] | None,
    settings: Mapping[str, str],
) -> list[dict[str, Any]]:
    """One round: a new job for every outlet that has none pending or running on any node.

    Returns one decision per outlet: ``{"outlet", "action": "scheduled" | "skipped" | "error",
    "job", "state", "node"}`` (``message`` for errors). No node answering fails the whole round
    (raises); failing to schedule one outlet is that outlet's error, and the others go on.
    """
    nodes = [clients] if isinstance(clients, ScrapydClient) else list(clients)
    answers = read_nodes(nodes, project)
    live = list(answers)
    names = list(outlets) if outlets else live[0].list_spiders(project)
    active = active_jobs(answers)
    # The round's own placements count too, so one round spreads its jobs.
    load = {client: len(jobs["pending"]) + len(jobs["running"]) for client, jobs in answers.items()}
    decisions: list[dict[str, Any]] = []
    for outlet in names:
        if outlet in active:
            client, job_id, state = active[outlet]
            log.info("skip %s: job %s still %s", outlet, job_id, state)
            decisions.append({"outlet": outlet, "action": "skipped", "job": job_id, "state": state,
                              "node": client.base_url})
            continue
        decisions.append(_place(outlet, live, load, project, settings))
    return decisions


def _place(
    outlet: str,
    live: list[ScrapydClient],
    load: dict[ScrapydClient, int],
    project: str,
    settings: Mapping[str, str],
) -> dict[str, Any]:
    """Schedule ``outlet`` on the least-busy live node; a node that stops answering leaves ``live``."""
    while live:
        client = min(live, key=lambda node: load[node])  # ties: the order given
        try:
            job_id = client.schedule(project, outlet, settings)
        except ScrapydUnreachable as exc:
            if len(live) == 1:
                return _error(outlet, client, exc)
            log.warning("node %s skipped this round: %s", client.base_url, exc)
            live.remove(client)
            continue
        except ScrapydError as exc:
            return _error(outlet, client, exc)
        load[client] += 1
        log.info("scheduled %s: job %s", outlet, job_id)
        return {"outlet": outlet, "action": "scheduled", "job": job_id, "state": "pending",
                "node": client.base_url}
    raise AssertionError("unreachable: there is always a live node")


def _error(outlet: str, client: ScrapydClient, exc: ScrapydError) -> dict[str, Any]:
    log.error("cannot schedule %s: %s", outlet, exc)
    return {"outlet": outlet, "action": "error", "job": None, "state": None, "node": client.base_url,
            "message": str(exc)}


def node_status(clients: Sequence[ScrapydClient], project: str) -> list[dict[str, Any]]:
    """Per node: whether it answers, and its running and pending jobs (``tracker schedule --status``)."""
    status = []
    for client in clients:
        try:
            jobs = client.list_jobs(project)
        except ScrapydError as exc:
            status.append({"node": client.base_url, "ok": False, "message": str(exc)})
            continue
        status.append({"node": client.base_url, "ok": True,
                       "running": jobs["running"], "pending": jobs["pending"]})
    return status


def run_scheduler(
    url: str | Sequence[str],
    *,
    project: str = "tracker",
    outlets: Iterable[str] | None = None,
    every: dt.timedelta = dt.timedelta(minutes=15),
    once: bool = False,
    settings: Mapping[str, str] | None = None,
    client: ScrapydClient | None = None,
    lock_path: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    max_rounds: int | None = None,
) -> list[dict[str, Any]]:
    """Schedule the outlets on scrapyd every ``every``, until interrupted.

    Rounds start ``every`` apart (the time a round takes is not added to the wait); a round
    that overruns the period is followed by the next one at once, without a burst of catch-up
    rounds. A round that fails (scrapyd down, project not deployed) is logged and retried at the
    next round. With ``once``: one round, whose decisions are returned; any failure raises
    :class:`ScrapydError`. ``max_rounds`` (tests, scripts) stops after that many rounds and
    returns the decisions of all of them. ``url`` may name several nodes (comma-separated);
    ``lock_path`` is the lock each round holds (:func:`round_lock`).
    """
    clients = [client] if client else parse_nodes(url)
    settings = dict(settings or {})
    outlet_list = list(outlets) if outlets else None
    period = every.total_seconds()
    if period <= 0 and not once:
        raise ScrapydError(f"--every must be positive, got {every}")
    if not once:
        log.info(
            "scheduling %s of project %s on %s every %s",
            ",".join(outlet_list) if outlet_list else "every spider", project,
            ", ".join(node.base_url for node in clients), every,
        )
    decisions: list[dict[str, Any]] = []
    rounds = 0
    next_start = clock()
    while True:
        rounds += 1
        try:
            with round_lock(lock_path):
                round_decisions = schedule_round(clients, project, outlet_list, settings)
        except ScrapydError as exc:
            if once:
                raise
            log.error("round failed: %s; trying again in %s", exc, every)
        else:
            decisions.extend(round_decisions)
            if once:
                errors = [d for d in round_decisions if d["action"] == "error"]
                if errors:
                    raise ScrapydError("; ".join(f"{d['outlet']}: {d['message']}" for d in errors))
                return decisions
        if max_rounds is not None and rounds >= max_rounds:
            return decisions
        # Sleep what is left of the period: rounds keep their cadence whatever they cost.
        next_start += period
        now = clock()
        if next_start <= now:
            next_start = now  # overran: go now, and count the period from here
        else:
            sleep(next_start - now)

