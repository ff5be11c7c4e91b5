"""The lineage graph: display rules, depth, layout and SVG, the graph API, and the lineage pages."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.views import ViewTestCases
from catalog.models import Dataset
from lineage.choices import EdgeKind, NodeKind
from lineage.models import LineageEvent, LineageNode
from lineage.services.graph import Graph, GraphEdge, GraphNode, display_edges, neighbourhood, parse_depth
from lineage.services.layout import MAX_PER_COLUMN, layout
from lineage.services.merge import RawEdge, summarize
from lineage.services.svg import render

HTMX = {"HTTP_HX_REQUEST": "true"}


def ds(name: str):
    return (NodeKind.DATASET, "ns", name)


def job(name: str):
    return (NodeKind.JOB, "jobs", name)


# --- pure pieces --------------------------------------------------------------------------------

def test_transformations_are_summarized_into_short_labels():
    label, detail = summarize([
        {"type": "DIRECT", "subtype": "TRANSFORMATION", "description": "cast to integer"},
        {"type": "DIRECT", "subtype": "TRANSFORMATION", "description": "cast to date"},
        {"type": "DIRECT", "subtype": "IDENTITY", "description": "kept as text"},
    ])
    assert label == "cast to integer, date" and detail == ["cast to date", "cast to integer", "kept as text"]
    masked, _ = summarize(
        [
            {
                "type": "DIRECT",
                "subtype": "TRANSFORMATION",
                "description": "masked: hash_email",
                "masking": True,
            },
            {"type": "INDIRECT", "subtype": "GROUP_BY", "description": "dedupe on key, latest wins"},
        ]
    )
    assert masked == "masked: hash_email · dedupe on key, latest wins"
    assert summarize([{"type": "DIRECT", "subtype": "IDENTITY"}])[0] == "identity"
    assert summarize([{"type": "INDIRECT", "subtype": "JOIN"}])[0] == "join"


def test_a_job_explained_by_column_lineage_folds_into_its_edges():
    edges = [
        RawEdge(EdgeKind.INPUT, ds("file"), job("atlas")),
        RawEdge(EdgeKind.OUTPUT, job("atlas"), ds("explore")),
        RawEdge(EdgeKind.OUTPUT, job("atlas"), ds("chart")),
        RawEdge(EdgeKind.DERIVED, ds("file"), ds("explore"), job=job("atlas"), label="loaded as text"),
        RawEdge(EdgeKind.DERIVED, ds("explore"), ds("chart"), job=job("atlas"), label="cast"),
        RawEdge(EdgeKind.INPUT, ds("chart"), job("airflow")),
        RawEdge(EdgeKind.OUTPUT, job("airflow"), ds("report")),
    ]
    shown = {(e.source[2], e.target[2]) for e in display_edges(edges)}
    assert shown == {("file", "explore"), ("explore", "chart"), ("chart", "airflow"), ("airflow", "report")}
    kept = {(e.source[2], e.target[2]) for e in display_edges(edges, keep=frozenset({job("atlas")}))}
    assert ("file", "atlas") in kept and ("atlas", "chart") in kept


def test_depth_and_direction_limit_the_neighbourhood():
    chain = [RawEdge(EdgeKind.DERIVED, ds(str(i)), ds(str(i + 1))) for i in range(6)]
    reached = lambda edges: {e.source[2] for e in edges} | {e.target[2] for e in edges}  # noqa: E731
    assert reached(neighbourhood(chain, ds("3"), 1)) == {"2", "3", "4"}
    assert reached(neighbourhood(chain, ds("3"), 2, "upstream")) == {"1", "2", "3"}
    assert reached(neighbourhood(chain, ds("3"), 9, "downstream")) == {"3", "4", "5", "6"}
    assert parse_depth("0") == 1 and parse_depth("99") == 10 and parse_depth("x") == 3


def graph_of(edges: list[tuple[str, str]], layer: str = "chart") -> Graph:
    graph = Graph()
    for source, target in edges:
        for name in (source, target):
            graph.nodes.setdefault(name, GraphNode(name, "dataset", layer, name, name))
        graph.edges.append(GraphEdge(source, target, "copy"))
    return graph


def test_layout_puts_each_node_right_of_its_upstream_and_survives_cycles():
    placed = layout(graph_of([("a", "b"), ("b", "c"), ("a", "c"), ("c", "a")]))
    assert placed.nodes["a"].x < placed.nodes["b"].x < placed.nodes["c"].x
    assert len(placed.edges) == 4


def test_a_crowded_column_folds_into_a_summary_node():
    placed = layout(graph_of([("hub", f"leaf{i:02}") for i in range(30)]))
    column = [p for p in placed.nodes.values() if p.x > placed.nodes["hub"].x]
    assert len(column) == MAX_PER_COLUMN
    assert any(p.node.label == f"+{30 - MAX_PER_COLUMN + 1} more" for p in column)


def test_svg_escapes_every_name_and_colours_layers():
    graph = graph_of([("<script>alert(1)</script>", "b&c")], layer="navigate")
    svg = str(render(graph, title='x" onload="y'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "b&amp;c" in svg
    assert 'onload="y"' not in svg
    assert "#2e7d32" in svg and svg.startswith("<svg") and svg.endswith("</svg>")
    assert str(render(Graph())) == ""


# --- against stored lineage -----------------------------------------------------------------------

@pytest.fixture
def stored(customers_runs):
    return Dataset.objects.get(name="customers")


@pytest.mark.django_db
def test_the_dataset_graph_api(stored, role_api_client):
    client = role_api_client(Role.VIEWER)
    body = client.get(reverse("api:lineage-dataset", args=["customers"]), {"depth": 1}).json()
    assert body["focus"]["layer"] == "navigate" and body["depth"] == 1
    assert {n["label"] for n in body["nodes"]} == {"navigate.customers", "chart.customers"}
    assert body["edges"][0]["label"] == "masked: hash_email · dedupe on key, latest wins"
    by_name = client.get(
        reverse("api:lineage-dataset", args=[body["focus"]["name"]]),
        {"namespace": body["focus"]["namespace"], "depth": 9, "direction": "upstream"},
    ).json()
    layers = [n["layer"] for n in by_name["nodes"]]
    assert sorted(layers) == ["chart", "explore", "navigate", "source", "source"]  # two runs, two files
    assert client.get(reverse("api:lineage-dataset", args=["nothing"])).status_code == 404
    assert role_api_client(None).get(reverse("api:lineage-dataset", args=["customers"])).status_code == 403


@pytest.mark.django_db
def test_the_run_graph_api_by_atlas_run_and_by_run_id(stored, role_api_client, customers_runs):
    client = role_api_client(Role.VIEWER)
    by_run = client.get(reverse("api:lineage-run", args=[customers_runs[0]["run_id"]])).json()
    assert [e["event_type"] for e in by_run["events"]] == ["START", "COMPLETE"]
    assert {n["layer"] for n in by_run["nodes"]} == {"source", "explore", "chart", "navigate"}
    by_uuid = client.get(reverse("api:lineage-run", args=[by_run["run_id"]])).json()
    assert by_uuid["run_id"] == by_run["run_id"] and len(by_uuid["edges"]) == 3
    assert client.get(reverse("api:lineage-run", args=["999999"])).status_code == 404
    assert client.get(reverse("api:lineage-run", args=["not-a-run"])).status_code == 404


@pytest.mark.django_db
def test_events_and_nodes_lists(stored, role_api_client):
    client = role_api_client(Role.VIEWER)
    events = client.get("/api/lineage/events/", {"event_type": "COMPLETE"}).json()
    assert events["count"] == 2 and events["results"][0]["payload"]["eventType"] == "COMPLETE"
    nodes = client.get("/api/lineage/nodes/", {"kind": "dataset", "layer": "navigate"}).json()
    assert [n["label"] for n in nodes["results"]] == ["navigate.customers"]


@pytest.mark.django_db
class TestLineageIndexPage(ViewTestCases.ListView):
    url_name = "lineage:index"
    expected_text = "Lineage"

    def make_objects(self):
        return list(LineageNode.objects.all())

    @pytest.fixture(autouse=True)
    def _data(self, customers_runs):
        return customers_runs


@pytest.mark.django_db
class TestNodePage(ViewTestCases.DetailView):
    expected_text = "navigate.customers"

    def make_object(self):
        return LineageNode.objects.get(layer="navigate")

    @pytest.fixture(autouse=True)
    def _data(self, customers_runs):
        return customers_runs


@pytest.mark.django_db
def test_node_page_depth_changes_the_graph_in_place(stored, role_client):
    node = LineageNode.objects.get(layer="navigate")
    client = role_client(Role.VIEWER)
    full = client.get(node.get_absolute_url(), {"depth": 3}).content.decode()
    assert "<svg" in full and "explore.customers" in full and re.search(r">customers[^<]*\.csv<", full)
    partial = client.get(node.get_absolute_url(), {"depth": 1}, **HTMX).content.decode()
    assert "<html" not in partial and 'id="lineage-graph"' in partial
    assert "chart.customers" in partial and "explore.customers" not in partial
    labels = re.findall(r'font-weight="600" fill="#212121">([^<]+)<', partial)
    assert sorted(labels) == ["chart.customers", "navigate.customers"]


@pytest.mark.django_db
def test_a_job_page_shows_the_job_and_its_runs(stored, role_client):
    node = LineageNode.objects.get(kind="job")
    body = role_client(Role.VIEWER).get(node.get_absolute_url()).content.decode()
    assert "atlas.pipeline.customers" in body and "Runs of this job" in body and "explore.customers" in body


@pytest.mark.django_db
def test_run_page(stored, role_client, customers_runs):
    client = role_client(Role.VIEWER)
    body = client.get(reverse("lineage:run", args=[customers_runs[1]["run_id"]])).content.decode()
    assert "<svg" in body and "COMPLETE" in body and "columnLineage" in body
    event = LineageEvent.objects.filter(pipeline_run_id=customers_runs[1]["run_id"]).first()
    assert client.get(reverse("lineage:run", args=[str(event.run_id)])).status_code == 200
    assert client.get(reverse("lineage:run", args=["123456"])).status_code == 404
    assert role_client(None).get(reverse("lineage:run", args=[str(event.run_id)])).status_code == 403


@pytest.mark.django_db
def test_catalog_dataset_page_embeds_the_graph(stored, role_client):
    body = role_client(Role.VIEWER).get(stored.get_absolute_url()).content.decode()
    assert 'class="lineage-graph"' in body and "masked: hash_email" in body
