"""The API fuzzed from its own OpenAPI description: for every operation, examples generated
from the schema (valid and not) never give a server error or an answer the schema does not
describe. Whether an answer is accepted depends on the wizard's questions, which the schema
leaves open (`answers` maps any question id to a value): refusing an unknown question or a
wrong value with 422 is the API doing its work, so that check is left out."""

from __future__ import annotations

import schemathesis
import schemathesis.checks as checks
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from sqlmodel import Session

from tests.factories import make_api_token, make_organisation, make_user

EXAMPLES_PER_OPERATION = 20


def test_no_operation_of_the_api_fails_or_answers_outside_its_schema(
    app: FastAPI, session: Session
) -> None:
    user = make_user(session, "fuzz@kommun.se", make_organisation(session, "Fuzzkommun"))
    headers = {"Authorization": f"Bearer {make_api_token(session, user)}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    cases = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            nonlocal cases
            cases += 1
            case.call_and_validate(
                headers=headers, excluded_checks=[checks.positive_data_acceptance]
            )

        check()
    print(f"schemathesis: {len(operations)} operations, {cases} cases, 0 failures")
