"""Campaigns (Chiến dịch): the records and their members (campaigns), the mail to every member
(sending) and the signed unsubscribe link in each message (unsubscribe)."""
