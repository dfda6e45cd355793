import { createTransport, type Transporter } from 'nodemailer';
import type { Notification } from '@herald/contracts';

export interface MailerOptions {
  /** `smtp://user:password@host:port` or `smtps://…`. */
  smtpUrl: string;
  from: string;
}

/** Mails notifications to the address on the webhook, over SMTP. */
export class NotificationMailer {
  private readonly transport: Transporter;

  constructor(private readonly options: MailerOptions) {
    this.transport = createTransport(options.smtpUrl);
  }

  /** Sends one notification; resolves false when it has no address. Rejects when SMTP fails (retried by the consumer). */
  async send(notification: Notification): Promise<boolean> {
    if (!notification.email) return false;
    await this.transport.sendMail({
      from: this.options.from,
      to: notification.email,
      ...renderNotification(notification),
      headers: {
        'X-Herald-Notification-Id': notification.notificationId,
        'X-Herald-Webhook-Id': notification.webhookId,
      },
    });
    return true;
  }

  close(): void {
    this.transport.close();
  }
}

/** The mail for a notification: the notification carries data, the wording lives here. */
export function renderNotification(n: Notification): { subject: string; text: string } {
  if (n.subject !== undefined && n.text !== undefined) return { subject: n.subject, text: n.text };
  const label = n.webhookName || n.webhookUrl;
  if (n.kind === 'webhook.disabled') {
    return {
      subject: `Herald: webhook "${label}" was disabled`,
      text: [
        `Herald disabled the webhook "${label}" (${n.webhookId}) because ${n.reason ?? 'it kept failing'}.`,
        `URL: ${n.webhookUrl}`,
        'Deliveries resume once the webhook is re-enabled through the API.',
      ].join('\n'),
    };
  }
  const d = n.delivery;
  if (!d) return { subject: `Herald: a delivery to "${label}" failed`, text: `URL: ${n.webhookUrl}` };
  return {
    subject: `Herald: delivery of ${d.eventType} to "${label}" failed`,
    text: [
      `Herald gave up delivering event ${d.eventId} (${d.eventType}) to the webhook "${label}" (${n.webhookId}) after ${d.attempts} attempt(s).`,
      `URL: ${n.webhookUrl}`,
      `Last outcome: ${d.lastOutcome}${d.lastError ? ` (${d.lastError})` : ''}`,
      `Delivery: ${d.deliveryId}. It can be redelivered from the event log.`,
    ].join('\n'),
  };
}
