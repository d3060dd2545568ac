-- Dispatchers claim each endpoint's oldest due deliveries and at most a few at once per endpoint, so one
-- organization's slow or dead endpoint cannot hold every delivery slot while another's events wait.
create index webhook_deliveries_endpoint_due on webhook_deliveries (endpoint_id, next_attempt_at)
    where status in ('pending', 'delivering');
create index webhook_deliveries_in_flight on webhook_deliveries (endpoint_id) where status = 'delivering';
