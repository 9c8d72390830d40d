"""Demo data for development: two organisations, three users and one example draft."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts import hash_password
from app.config import PROJECT_ROOT
from app.content import Content
from app.data.files import load_model
from app.drafts.answers_file import AnswersFile, import_answers_file
from app.models import Membership, Organisation, Role, User

DEMO_PASSWORD = "kravlotsen-demo"
DEMO_USERS = (
    ("upphandlare@demo.se", "Ulla Upphandlare", "Demo kommun", "owner"),
    ("granskare@demo.se", "Gustav Granskare", "Demo kommun", "reviewer"),
    ("annan@demo.se", "Anna Annan", "Annan kommun", "owner"),
)
DEMO_EXAMPLE = PROJECT_ROOT / "examples" / "bygglov-e-tjanst.yaml"


def seed_demo_data(session: Session, content: Content) -> bool:
    """Create the demo organisations, users and one example draft. False if already there."""
    if session.exec(select(User).where(User.email == DEMO_USERS[0][0])).first() is not None:
        return False
    organisations: dict[str, Organisation] = {}
    password_hash = hash_password(DEMO_PASSWORD)
    owner = None
    for email, name, organisation_name, role in DEMO_USERS:
        if organisation_name not in organisations:
            organisation = Organisation(name=organisation_name)
            session.add(organisation)
            session.flush()
            organisations[organisation_name] = organisation
        user = User(email=email, name=name, password_hash=password_hash)
        session.add(user)
        session.flush()
        session.add(
            Membership(
                user_id=user.id or 0,
                organisation_id=organisations[organisation_name].id or 0,
                role=Role(role),
            )
        )
        if owner is None:
            owner = user
    answers_file = load_model(AnswersFile, DEMO_EXAMPLE)
    import_answers_file(
        session,
        organisations["Demo kommun"],
        owner,
        answers_file,
        content,
        content.library,
    )
    session.commit()
    return True
