"""Calendars (issue 14 §1-2): a session's ICS invitation (``invitations``), each person's private ICS
feed (``feeds``), and remote sessions, a Jitsi room or a pasted link shown to the participants from 15
minutes before (``visio``). The text itself is built by ``ics`` with the ``icalendar`` package."""
