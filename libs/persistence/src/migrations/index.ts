import { CreateWebhooks1795392000000 } from './20261123-0001-create-webhooks';
import { CreateOutbox1795392000001 } from './20261123-0002-create-outbox';
import { CreateDeliveryAttempts1795392000002 } from './20261123-0003-create-delivery-attempts';
import { CreateEventLogTables1795392100000 } from './20261123-0100-create-event-log-tables';
import { AddRecoveryClaims1795392500000 } from './20261123-0500-add-recovery-claims';
import { NotifyOutbox1795392600000 } from './20261203-0600-notify-outbox';
import { CreateApiKeys1795392300000 } from './20261123-0300-create-api-keys';
import { AddWebhookDeliverySettings1795392300100 } from './20261123-0301-add-webhook-delivery-settings';
import { CreateIdempotencyKeys1795392300200 } from './20261123-0302-create-idempotency-keys';
import { CreateEventTypes1795392300300 } from './20261123-0303-create-event-types';
import { AsymmetricSignatureProfile1795392700000 } from './20261203-0700-asymmetric-signature-profile';
import { CreatePortalSessions1795392800000 } from './20261203-0800-create-portal-sessions';
import { AddWebhookFilter1795392900000 } from './20261203-0900-add-webhook-filter';
import { SeedProfiles1795393500000 } from './20261203-1500-seed-profiles';
import { AddWebhookTimeout1795393600000 } from './20261203-1600-add-webhook-timeout';
import { MindstampSettings1795393751000 } from './20261203-1751-mindstamp-settings';

/** Every migration, in order. Add one file per change; never edit an applied one. */
export const allMigrations = [
  CreateWebhooks1795392000000,
  CreateOutbox1795392000001,
  CreateDeliveryAttempts1795392000002,
  CreateEventLogTables1795392100000,
  CreateApiKeys1795392300000,
  AddWebhookDeliverySettings1795392300100,
  CreateIdempotencyKeys1795392300200,
  CreateEventTypes1795392300300,
  AddRecoveryClaims1795392500000,
  NotifyOutbox1795392600000,
  AsymmetricSignatureProfile1795392700000,
  CreatePortalSessions1795392800000,
  AddWebhookFilter1795392900000,
  SeedProfiles1795393500000,
  AddWebhookTimeout1795393600000,
  MindstampSettings1795393751000,
];
