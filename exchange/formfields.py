"""Form fields shared by several features."""

from wtforms import DateField


class BlankableDateField(DateField):
    """A date field that treats an empty input as 'no date' instead of a format error.

    Browsers submit an empty string for an untouched date input; whether a date is required
    is then up to the form's validators, with their own plain message.
    """

    def process_formdata(self, valuelist):
        """Empty input means None; anything else is parsed as usual."""
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)
