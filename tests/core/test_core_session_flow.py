"""The visit's transition table as data, and the diagrams printed from it."""

from __future__ import annotations

from kiosk.visit.flow import (
    ACTIVE_STEPS,
    BACK_STEPS,
    TRANSITIONS,
    Step,
    back_targets,
    to_dot,
    to_mermaid,
)


def reachable(start: Step, *, with_back: bool = True) -> set[Step]:
    seen, todo = {start}, [start]
    while todo:
        step = todo.pop()
        nexts = set(TRANSITIONS[step].values()) | (back_targets(step) if with_back else set())
        for nxt in nexts - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_every_step_has_a_row_and_every_target_is_a_step() -> None:
    assert set(TRANSITIONS) == set(Step)
    for step, events in TRANSITIONS.items():
        assert events, step
        assert all(isinstance(target, Step) for target in events.values())
        assert "back" not in events  # back is the history, never a fixed edge


def test_every_step_is_reachable_and_every_visit_can_end() -> None:
    assert reachable(Step.ATTRACT, with_back=False) == set(Step)
    for step in Step:
        assert Step.ATTRACT in reachable(step), f"{step} is a dead end"


def test_timeout_cancel_and_fail_edges() -> None:
    for step in ACTIVE_STEPS:
        assert TRANSITIONS[step]["timeout"] == Step.END
    assert TRANSITIONS[Step.TAKE_CARD]["timeout"] == Step.END
    for step in (Step.ATTRACT, Step.END, Step.OUT_OF_SERVICE):
        assert "timeout" not in TRANSITIONS[step] and "cancel" not in TRANSITIONS[step]
    for step in set(Step) - {Step.OUT_OF_SERVICE}:
        assert TRANSITIONS[step]["fail"] == Step.OUT_OF_SERVICE
    assert TRANSITIONS[Step.OUT_OF_SERVICE] == {"recover": Step.ATTRACT}


def test_the_main_path() -> None:
    path = [("start", Step.IDENTIFY), ("card", Step.CHOOSE), ("bundle", Step.NOTICE), ("accept", Step.FORM),
            ("submit", Step.REVIEW), ("confirm", Step.SUBMITTED), ("receipt", Step.RECEIPT), ("next", Step.RATE),
            ("rate", Step.TAKE_CARD), ("card_removed", Step.END), ("reset", Step.ATTRACT)]
    step = Step.ATTRACT
    for event, expected in path:
        step = TRANSITIONS[step][event]
        assert step == expected, event


def test_back_targets_come_from_forward_edges_only() -> None:
    assert back_targets(Step.REVIEW) == {Step.FORM}
    assert back_targets(Step.CHOOSE) == {Step.IDENTIFY}  # not from "appointment_done --more-->"
    assert back_targets(Step.TICKET) == {Step.ATTRACT, Step.CHOOSE}
    assert back_targets(Step.SUBMITTED) == frozenset()  # no un-submitting
    for step in BACK_STEPS:
        assert back_targets(step), step


def test_diagrams_list_every_edge() -> None:
    mermaid, dot = to_mermaid(), to_dot()
    assert mermaid.startswith("stateDiagram-v2\n    [*] --> ATTRACT")
    assert dot.startswith("digraph session {") and dot.rstrip().endswith("}")
    for src, events in TRANSITIONS.items():
        for event, dst in events.items():
            if event == "fail":
                assert f"{src.name} --> {dst.name}: {event}" not in mermaid
                assert f"{src.name} --> {dst.name}: {event}" in to_mermaid(include_fail=True)
                continue
            assert f"    {src.name} --> {dst.name}: {event}\n" in mermaid
            assert f'    {src.name} -> {dst.name} [label="{event}"];\n' in dot
    assert "    REVIEW --> FORM: back (history)\n" in mermaid
    assert '    REVIEW -> FORM [label="back", style=dashed];\n' in dot
    assert "end -->" not in mermaid  # "end" is a Mermaid keyword: state ids are the enum names
