"""What every form state has: the values being edited, errors per field, and their setters."""

from __future__ import annotations

import reflex as rx

from crm_app.i18n import tr
from crm_app.services import places
from crm_app.services.errors import ValidationFailed
from crm_app.services.normalize import renumbered_in
from crm_app.state.off_loop import on_loop


class FormStateMixin(rx.State, mixin=True):
    """Mixed into a SessionState subclass: ``class X(FormStateMixin, SessionState)``."""

    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    ward_options: list[list[str]] = []  # [code, name] of the wards of the province chosen
    # False: the record shown is a teammate's shared read-only (the page shows no save)
    can_edit: bool = True

    @rx.event
    @on_loop
    def set_value(self, name: str, value: str):
        self.values[name] = value
        self.errors.pop(name, None)
        if name == "province":  # a ward belongs to one province
            self.values["ward"] = ""
            self.ward_options = ward_options(value)

    def _load_values(self, values: dict[str, str]) -> None:
        """The form's values as loaded (a record, a copy, a new form's defaults)."""
        self.values = values
        self.ward_options = ward_options(values.get("province"))

    @rx.event
    @on_loop
    def set_flag(self, name: str, value: bool):
        self.values[name] = "1" if value else ""

    def _show_errors(self, exc: ValidationFailed):
        """Translate the field errors into the user's language; toast that the form needs fixing."""
        self.errors = {field: self._msg(key, **params) for field, (key, params) in exc.errors.items()}
        return rx.toast.error(self._msg("err.form_invalid"))

    @rx.var
    def renumbered(self) -> dict[str, str]:
        """Per phone field, the old 11-digit mobile numbers typed and what they are now ("0168 123
        4567 → 038 123 4567"): saved in the new form, said before saving."""
        out = {}
        for name in ("phones", "phone", "mobile"):
            notice = renumber_notice(self.values.get(name, ""), self.lang)
            if notice:
                out[name] = notice
        return out


def renumber_notice(typed: str | None, lang: str) -> str:
    """What a user typing old numbers is told they are now ("" for none)."""
    changes = renumbered_in(typed)
    return tr("phone.renumbered", lang, changes=changes) if changes else ""


def ward_options(province: str | None) -> list[list[str]]:
    return [[code, name] for code, name in places.wards_of(province)]
