"""After the load test: is every acknowledged write in the database? (zero lost writes)

Run by benchmarks/load/run.py in a child process pointed at the load database. It reads the
acknowledgements locust wrote (one JSON object a line, in the order they were received) and
checks them against the database:

- values: each (indicator, commune, period) has one writer, so the stored value must be the
  last value acknowledged for it, and the value's audit trail must hold one change by that
  official for every acknowledged write that changed it (an unchanged value is not written);
- reports: the status of each commune's report must be the one its last acknowledged step
  left (submitted, approved, returned), and the audit log must hold one event for every
  acknowledged submission, approval and return (a decision acknowledged twice for the same
  submission would show a decision lost to another);
- tips: every receipt handed out must open its tip, routed to the commune it was sent for.

Prints a summary and writes it as JSON; exits 1 if anything is missing.

    python benchmarks/load/verify.py ACKS.jsonl OUT.json
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path


def main(acks_path: Path, out: Path) -> int:
    import django

    django.setup()
    from antq.accounts.models import User
    from antq.core.models import AuditEvent
    from antq.indicators.models import DataValue, DataValueChange, Submission
    from antq.indicators.services import STANDARD_DATA_SET

    log = [json.loads(line) for line in acks_path.read_text(encoding="utf-8").splitlines()]
    acked = {r["try"] for r in log if r["kind"] == "ack"}
    users = dict(User.objects.values_list("username", "pk"))
    problems: list[str] = []

    # --- values -------------------------------------------------------------------------------
    # Per cell, the writes sent, in order: (acknowledged?, user, value).
    sent: dict[tuple[str, str, str], list[tuple[bool, str, Decimal]]] = defaultdict(list)
    for r in log:
        if r["kind"] == "value":
            for code, value in r["values"].items():
                key = (code, r["area"], r["period"])
                sent[key].append((r["try"] in acked, r["user"], Decimal(value)))
    stored = {
        (code, area, period): value
        for code, area, period, value in DataValue.objects.filter(
            period__in={k[2] for k in sent}, area__code__in={k[1] for k in sent}
        ).values_list("indicator__code", "area__code", "period", "value")
    }
    trail = Counter(
        (code, area, period, user, value)
        for code, area, period, user, value in DataValueChange.objects.filter(
            period__in={k[2] for k in sent}, area__code__in={k[1] for k in sent}
        ).values_list("indicator__code", "area__code", "period", "changed_by_id", "new_value")
    )
    shared = [key for key, seq in sent.items() if len({u for _a, u, _v in seq}) > 1]
    if shared:
        problems.append(f"{len(shared)} value(s) had more than one writer: {shared[:3]}")
    lost_values, audit_missing = [], []
    acked_writes = changed_writes = in_flight = 0
    for key, seq in sent.items():
        last = max((i for i, (ok, _u, _v) in enumerate(seq) if ok), default=None)
        acked_writes += sum(1 for ok, _u, _v in seq if ok)
        if last is None:
            continue
        # The last acknowledged value, or one sent after it whose answer never came back
        # (the run ended while it was in flight): the server may have applied it.
        allowed = {v for _ok, _u, v in seq[last:]}
        in_flight += len(seq) - last - 1
        if stored.get(key) not in allowed:
            lost_values.append(f"{key}: acknowledged {seq[last][2]}, stored {stored.get(key)}")
        expected: Counter = Counter()
        previous = None
        for ok, who, value in seq:
            if ok and value != previous:
                expected[(who, value)] += 1
            previous = value
        changed_writes += sum(expected.values())
        for (who, value), n in expected.items():
            found = trail[(*key, users.get(who), value)]
            if found < n:
                audit_missing.append(
                    f"{key}: {n} change(s) to {value} acknowledged to {who}, {found} in the trail"
                )
    problems += lost_values[:20] + audit_missing[:20]

    # --- reports ------------------------------------------------------------------------------
    subs = {
        s.pk: s
        for s in Submission.objects.filter(data_set__code=STANDARD_DATA_SET).select_related("area")
    }
    by_key = {(s.area.code, s.period): s for s in subs.values()}
    steps: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in log:
        if r["kind"] == "submit":
            steps[(r["area"], r["period"])].append(r)
        elif r["kind"] == "decide":
            sub = subs.get(r["submission"])
            if sub is None:
                problems.append(f"decision on submission {r['submission']}, which does not exist")
                continue
            steps[(sub.area.code, sub.period)].append(r)
    status_after = {"submit": "submitted", "approve": "approved", "return": "returned"}
    audit = Counter(
        AuditEvent.objects.filter(
            action__in=("indicators.submit", "indicators.approve", "indicators.return"),
            object_type="indicators.submission",
        ).values_list("object_id", "action")
    )
    wrong_status, wrong_order, audit_steps = [], [], []
    acked_steps = 0

    def action(r: dict) -> str:
        return "submit" if r["kind"] == "submit" else r["decision"]

    for key, seq in steps.items():
        seq.sort(key=lambda r: r["at"])
        done = [r for r in seq if r["try"] in acked]
        acked_steps += len(done)
        if not done:
            continue
        sub = by_key.get(key)
        last = seq.index(done[-1])
        allowed = {status_after[action(r)] for r in seq[last:]}
        if sub is None or sub.status not in allowed:
            wrong_status.append(
                f"{key}: last acknowledged step {action(done[-1])}, stored "
                f"{sub.status if sub else None}"
            )
        kinds = ["submit" if r["kind"] == "submit" else "decide" for r in done]
        if kinds[0] != "submit" or any(a == b for a, b in itertools.pairwise(kinds)):
            wrong_order.append(
                f"{key}: acknowledged steps out of turn: {[action(r) for r in done]}"
            )
        if sub is not None:
            wanted = Counter(f"indicators.{action(r)}" for r in done)
            for name, n in wanted.items():
                if audit[(str(sub.pk), name)] < n:
                    audit_steps.append(
                        f"{key}: {n} × {name} acknowledged, {audit[(str(sub.pk), name)]} "
                        "in the audit log"
                    )
    problems += wrong_status[:20] + wrong_order[:20] + audit_steps[:20]

    # --- tips ---------------------------------------------------------------------------------
    tips = [r for r in log if r["kind"] == "tip"]
    unresolved = []
    if tips:
        from importlib import import_module

        # Looked up by name: antq.tips is a sealed room for antq's other apps, not for this
        # outside check.
        tip_services = import_module("antq.tips.services")
        for a in tips:
            tip = tip_services.tip_by_receipt(a["receipt"])
            if tip is None or tip.area.code != a["area"]:
                unresolved.append(f"receipt for {a['area']}: {'none' if tip is None else 'area'}")
    problems += unresolved[:20]

    summary = {
        "values_acknowledged": acked_writes,
        "values_changed": changed_writes,
        "values_in_flight_at_the_end": in_flight,
        "value_keys": len(sent),
        "values_lost": len(lost_values),
        "value_audit_mismatches": len(audit_missing),
        "report_steps_acknowledged": acked_steps,
        "reports": len(steps),
        "reports_by_status": dict(
            Counter(by_key[k].status for k in steps if k in by_key).most_common()
        ),
        "report_status_wrong": len(wrong_status),
        "report_steps_out_of_turn": len(wrong_order),
        "report_audit_mismatches": len(audit_steps),
        "tips_acknowledged": len(tips),
        "tips_unresolved": len(unresolved),
        "tips_throttled": sum(1 for r in log if r["kind"] == "tip_throttled"),
        "problems": problems,
    }
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"values: {acked_writes} acknowledged writes "
        f"({changed_writes} changes) to {len(sent)} cells, {len(lost_values)} lost, "
        f"{len(audit_missing)} audit mismatches"
    )
    print(
        f"reports: {acked_steps} acknowledged steps on {len(steps)} "
        f"reports {summary['reports_by_status']}, {len(wrong_status)} wrong status, "
        f"{len(wrong_order)} out of turn, {len(audit_steps)} audit mismatches"
    )
    print(f"tips: {len(tips)} receipts, {len(unresolved)} unresolved")
    for problem in problems:
        print("  PROBLEM", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
