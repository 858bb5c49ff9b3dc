"""Follow-ups: scheduled with EventBridge Scheduler, sent later on the right channel."""

from chalicelib.followups.sending import FollowUpSender, Links
from chalicelib.followups.service import FollowUps, followup_view

__all__ = ["FollowUpSender", "FollowUps", "Links", "followup_view"]
