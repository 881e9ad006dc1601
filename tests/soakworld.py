"""A world of invented outlets for the kill -9 soak (bench/soak.py, tests/test_soak.py) and the
disk-full test, written for the project: nothing here comes from ../shared.

`build_world` writes, for each outlet, a directory that `tagwire.demo.server.SampleServer`
serves on its own loopback port (its own origin, as real outlets have their own hosts): an RSS
or Atom feed under `feeds/` and one HTML page per article under `site/`. Stories are reported by
one to four outlets in their own words; some reports are carried by other outlets as syndicated
copies (the same text, another headline); some items are listed twice (a relisting: the same
page with tracking parameters, another guid). `World.listings` is the answer key. The same seed
always gives the same world, so a killed run can be compared with the truth.

`Receiver` is a webhook on loopback that keeps every POST it gets (delivery id, follow, story).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tagwire.demo.server import SampleServer

COUNTRIES = ("Veloria", "Dravenna", "Solvaine", "Quellmark", "Brevonia", "Tarvossa", "Ennisfar", "Corvath")
ROOTS = ("Var", "Hol", "Bren", "Cas", "Dun", "Eld", "Fal", "Gor", "Hav", "Isk", "Jar", "Kel", "Lor",
         "Mar", "Nor", "Orm", "Pell", "Quar", "Ros", "Sel", "Tor", "Ulm", "Ves", "Wen")  # fmt: skip
MIDDLES = ("", "en", "ar", "il", "o")
TOWN_ENDINGS = ("holt", "mere", "by", "wick", "ford", "stead", "ton", "vale", "moor", "gate", "haven", "rise")
NAME_ENDINGS = ("ani", "eron", "ovic", "sen", "ley", "ard", "ini", "ett", "ström", "ado", "quist", "enko")
FIRST = ("Adela", "Borin", "Celia", "Dmitri", "Elsa", "Farid", "Greta", "Hanno", "Ines", "Jorund",
         "Katya", "Lionel", "Mirela", "Nils", "Odile", "Pavel", "Rosa", "Stellan", "Tamsin")  # fmt: skip
ROLES = ("Prime Minister", "Finance Minister", "Mayor", "Interior Minister", "Transport Minister",
         "Health Minister", "union leader", "chief executive")  # fmt: skip
EVENTS = (
    ("dockworkers' strike", "dockworkers walked off the job at the container terminal"),
    ("flood", "the river burst its banks after three days of rain"),
    ("rail closure", "the main rail line was closed after a signal failure"),
    ("wildfire", "a wildfire spread through the hills above the town"),
    ("rate decision", "the central bank raised its key interest rate"),
    ("teachers' protest", "thousands of teachers marched on the education ministry"),
    ("bridge collapse", "a section of the old road bridge collapsed into the river"),
    ("election dispute", "the opposition refused to accept the result of the regional vote"),
    ("power cut", "a failure at the main substation left the city without electricity"),
    ("trade deal", "negotiators agreed the outline of a new trade agreement"),
    ("hospital crisis", "the regional hospital stopped admitting patients"),
    ("port fire", "fire broke out in a warehouse at the harbour"),
)
SENTENCES = (
    "{Where} -- In {city} on {day}, {what}, the {org} said.",
    "Officials in {country} said about {big} people had been affected by the {event}.",
    "{person}, the {role}, said the government would {act} within {n} days.",
    "The {org} said it had warned of the risk as early as {year}.",
    '"We have never seen anything like this," said {other}, who has lived in {city} for {n} years.',
    "Critics said the response to the {event} had been {adj} and called for an inquiry.",
    "{person} is expected to visit {city} on {day2} to meet local leaders.",
    "The last comparable {event} in {country}, in {year}, lasted {n} days.",
    "Shops along the main street stayed {state} and schools sent pupils home early.",
    "{other} of the {org} said the cost could reach {big} crowns.",
    "Opposition leader {rival} accused the government of {failing} for months.",
    "Emergency crews from {city2} arrived on {day} evening to help.",
    "Residents said the {event} had caught them by surprise.",
    "The {org} asked people to avoid travelling to {city} until further notice.",
    "Markets in {country} fell by {pct} percent after the news.",
    "Talks between the two sides are due to resume on {day2}.",
    "{rival} said the {event} showed how {adj} the country's planning had become.",
    "An independent review of the {event} is due to report in {month}.",
    "Neighbouring {neighbour} offered help, according to the foreign ministry.",
    "By late {day}, {n} roads around {city} were still closed.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "March", "May", "July", "September", "November")
ADJECTIVES = ("slow", "chaotic", "uneven", "late", "confused", "timid")
WORDS = {
    "act": ("act", "set out a plan", "release emergency funds", "publish new rules", "open talks"),
    "state": ("shut", "closed", "empty", "dark"),
    "failing": ("ignoring the warnings", "doing nothing", "underfunding the service", "hiding the risks"),
}


@dataclass(frozen=True)
class Listing:
    """One feed item of the world: `path` is the page's URL path (without the tracking query of a
    relisting); `text` identifies the words (a copy shares its original's); `story` the event."""

    outlet: str
    path: str
    text: int
    story: int
    relisting: bool = False
    copy: bool = False


@dataclass
class World:
    root: Path
    outlets: list[str]
    listings: list[Listing]
    country_of: dict[int, str] = field(default_factory=dict)  # story -> the country it happens in

    @property
    def articles(self) -> list[Listing]:
        """The listings that are articles of their own (relistings collapse into one)."""
        return [x for x in self.listings if not x.relisting]


@dataclass
class _Report:
    title: str
    paragraphs: list[str]
    story: int
    text: int
    hours_ago: int
    country: str


class _Writer:
    """Writes the reports of a world from one seeded random source. Each story has places and
    people of its own (invented from syllables, not reused within 1,440), so that reports of different
    events share no names: only the country, the kind of event and the wording."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.texts = 0
        self.towns: list[str] = []
        self.surnames: list[str] = []

    def _fresh(self, pool: list[str], endings: tuple[str, ...]) -> str:
        """A name not used yet (1,440 of each kind; then they come round again)."""
        if not pool:
            pool += [h + m + t for h in ROOTS for m in MIDDLES for t in endings]
            self.rng.shuffle(pool)
        return pool.pop()

    def _person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self._fresh(self.surnames, NAME_ENDINGS)}"

    def story(self, story: int) -> dict[str, str]:
        r = self.rng
        event, what = r.choice(EVENTS)
        country, neighbour = r.sample(COUNTRIES, 2)
        city, city2 = (self._fresh(self.towns, TOWN_ENDINGS) for _ in range(2))
        org = f"{city} {r.choice(('Emergency', 'Transport', 'Works', 'Harbour', 'Water'))} Board"
        people = dict(person=self._person(), other=self._person(), rival=self._person(), role=r.choice(ROLES))
        where = dict(country=country, neighbour=neighbour, city=city, city2=city2, Where=city.upper())
        when = dict(day=r.choice(DAYS), day2=r.choice(DAYS))
        return dict(event=event, what=what, org=org, story=str(story), **people, **where, **when)

    def report(self, facts: dict[str, str], hours_ago: int) -> _Report:
        """One outlet's own report: the story's facts in its own choice of sentences and numbers."""
        r, values = self.rng, dict(facts)
        for name, choices in WORDS.items():
            values[name] = r.choice(choices)
        values.update(n=str(r.randint(2, 40)), big=f"{r.randint(2, 90)},{r.randint(100, 999)}",
                      year=str(r.randint(1990, 2022)), pct=f"{r.randint(1, 9)}.{r.randint(0, 9)}",
                      adj=r.choice(ADJECTIVES), month=r.choice(MONTHS))  # fmt: skip
        chosen = [*SENTENCES[:2], *r.sample(SENTENCES[2:], 10)]
        sentences = [s.format(**values) for s in chosen]
        paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
        verb = r.choice(("criticises", "meets", "thanks", "rebukes", "praises", "calls", "answers", "joins"))
        title = f"{facts['city']} {facts['event']}: {facts['person']} {verb} {facts['other']}"
        self.texts += 1
        return _Report(title, paragraphs, int(facts["story"]), self.texts, hours_ago, facts["country"])


NAMES = ("Courier", "Herald", "Gazette", "Post", "Times", "Chronicle", "Observer", "Ledger")


def outlet_title(i: int) -> str:
    return f"The {ROOTS[i % len(ROOTS)]}port {NAMES[(i // len(ROOTS) + i) % len(NAMES)]}"


def build_world(root: Path, outlets: int = 20, per_outlet: int = 20, seed: int = 1) -> World:
    """Write a world of `outlets` outlets with `per_outlet` articles each (a sixth of them
    syndicated copies of other outlets' reports) and a relisting or two per outlet."""
    writer, names = _Writer(seed), [f"outlet{i:02d}" for i in range(outlets)]
    own = {o: per_outlet - per_outlet // 6 for o in names}
    reports: dict[str, list[_Report]] = {o: [] for o in names}
    story = 0
    while any(own.values()):
        story += 1
        facts, free = writer.story(story), [o for o in names if own[o]]
        for o in writer.rng.sample(free, min(len(free), writer.rng.randint(1, 4))):
            reports[o].append(writer.report(facts, writer.rng.randint(4, 70)))
            own[o] -= 1
    world = World(root, names, [])
    copies = _copies(writer.rng, reports, per_outlet // 6)
    for i, o in enumerate(names):
        world.listings += _write_outlet(root / o, i, o, reports[o], copies[o], writer.rng)
    for reps in reports.values():
        world.country_of.update((r.story, r.country) for r in reps)
    return world


def _copies(rng: random.Random, reports: dict[str, list[_Report]], n: int) -> dict[str, list[_Report]]:
    """For each outlet, `n` other outlets' reports it carries, published an hour or two later."""
    out: dict[str, list[_Report]] = {}
    for o in reports:
        others = [r for other, reps in reports.items() if other != o for r in reps]
        picked = rng.sample(others, min(n, len(others)))
        out[o] = [replace(r, title=r.title + " (Northwire)", hours_ago=r.hours_ago - 2) for r in picked]
    return out


def _write_outlet(
    folder: Path, i: int, name: str, own: list[_Report], copied: list[_Report], rng: random.Random
) -> list[Listing]:
    """An outlet's pages and its feed (RSS for even outlets, Atom for odd), newest item first."""
    title = outlet_title(i)
    items: list[tuple[_Report, Listing]] = []
    for n, r in enumerate([*own, *copied]):
        path = f"/{name}/news/{r.story}-{r.text}-{n}.html"
        page = folder / "site" / path.lstrip("/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(title, path, r), encoding="utf-8")
        items.append((r, Listing(name, path, r.text, r.story, copy=n >= len(own))))
    for r, listing in rng.sample(items, 2):
        items.append((r, replace(listing, relisting=True)))
    items.sort(key=lambda x: (x[0].hours_ago, x[1].relisting))
    feed = _atom if i % 2 else _rss
    (folder / "feeds").mkdir(parents=True, exist_ok=True)
    (folder / "feeds" / f"{name}.{'atom' if i % 2 else 'rss'}").write_text(feed(title, name, items), "utf-8")
    return [x for _, x in items]


def _link(x: Listing) -> str:
    return "{{BASE}}" + x.path + ("?utm_source=rss&amp;utm_medium=feed" if x.relisting else "")


def _rss(title: str, name: str, items: list[tuple[_Report, Listing]]) -> str:
    entries = "".join(
        f"<item><title>{escape(r.title)}</title><link>{_link(x)}</link>"
        f'<guid isPermaLink="false">{name}:{x.path}:{x.relisting}</guid>'
        f"<pubDate>{{{{DATE:-{r.hours_ago}h|rfc822}}}}</pubDate>"
        f"<description>{escape(r.paragraphs[0])}</description></item>\n"
        for r, x in items
    )
    head = f"<channel><title>{escape(title)}</title><link>{{{{BASE}}}}/{name}/</link>"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">{head}\n{entries}</channel></rss>\n'


def _atom(title: str, name: str, items: list[tuple[_Report, Listing]]) -> str:
    entries = "".join(
        f'<entry><title>{escape(r.title)}</title><link href="{_link(x)}"/>'
        f"<id>urn:{name}:{x.path}:{x.relisting}</id><updated>{{{{DATE:-{r.hours_ago}h}}}}</updated>"
        f"<summary>{escape(r.paragraphs[0])}</summary></entry>\n"
        for r, x in items
    )
    head = f"<title>{escape(title)}</title><id>urn:{name}</id><updated>{{{{DATE:-1h}}}}</updated>"
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">{head}\n{entries}</feed>\n'


def _page(outlet: str, path: str, r: _Report) -> str:
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in r.paragraphs)
    when = f"{{{{DATE:-{r.hours_ago}h}}}}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(r.title)} | {escape(outlet)}</title>
<link rel="canonical" href="{{{{BASE}}}}{path}">
<meta property="og:site_name" content="{escape(outlet)}">
<meta property="og:title" content="{escape(r.title)}">
<meta property="article:published_time" content="{when}"></head>
<body><header><a href="/">{escape(outlet)}</a>
<nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
<main><article><h1>{escape(r.title)}</h1><time datetime="{when}">{when}</time>
{paragraphs}
</article></main><footer>All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>
"""


@contextmanager
def serving(world: World) -> Iterator[dict[str, SampleServer]]:
    """Each outlet on its own loopback port, for the time of the block: outlet -> its server."""
    with ExitStack() as stack:
        yield {o: stack.enter_context(SampleServer(world.root / o)) for o in world.outlets}


def feed_urls(servers: dict[str, SampleServer]) -> list[str]:
    return [url for s in servers.values() for url in s.feed_urls()]


@dataclass(frozen=True)
class Post:
    """One POST a webhook received: its X-Tagwire-Delivery, and the follow and story in its body."""

    delivery: str
    follow: int
    story: int


class Receiver(ThreadingHTTPServer):
    """A webhook on loopback that keeps every complete POST in `posts`, then answers 200 after
    `delay` seconds (a slow receiver: a sender killed meanwhile has sent but not recorded it)."""

    daemon_threads = True

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.delay = delay
        self.posts: list[Post] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a sender killed mid-request leaves a cut body or a closed socket, not an alert."""


class _ReceiverHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Receiver

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        data = json.loads(raw)
        post = Post(self.headers.get("X-Tagwire-Delivery", ""), int(data["follow"]), int(data["story"]["id"]))
        with self.server.lock:
            self.server.posts.append(post)
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the soak reads `posts`."""
