"""Which states load the rows of each tab of the customer page: registered with the page's state
(imported by the page, pages/customer_detail.py)."""

from crm_app.state.customer_activities import ActivityState
from crm_app.state.customer_campaigns_tab import CustomerCampaignsState
from crm_app.state.customer_detail import TAB_LOADERS
from crm_app.state.customer_files import FileState
from crm_app.state.customer_mail import MailState
from crm_app.state.customer_notes import NoteState
from crm_app.state.customer_opportunities import CustomerOpportunitiesState
from crm_app.state.customer_products_tab import CustomerProductsState
from crm_app.state.customer_sales import SalesState
from crm_app.state.history import HistoryTabState

TAB_LOADERS.update(
    {
        "followups": (ActivityState.load,),
        "tasks": (ActivityState.load,),
        "notes": (NoteState.load,),
        "emails": (MailState.load,),
        "files": (FileState.load,),
        "sales": (SalesState.load, CustomerOpportunitiesState.load),
        "products": (CustomerProductsState.load,),
        "campaigns": (CustomerCampaignsState.load,),
        "history": (HistoryTabState.load,),
    }
)
