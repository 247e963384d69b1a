"""Purchased-service funding (政府购买服务): funds, calls, awards under public notice,
contracts, disbursements, expenditures with receipts, and volunteer incentives."""
