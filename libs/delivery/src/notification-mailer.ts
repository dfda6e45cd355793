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
      subject: notification.subject,
      text: notification.text,
      headers: { 'X-Herald-Notification-Id': notification.notificationId, 'X-Herald-Webhook-Id': notification.webhookId },
    });
    return true;
  }

  close(): void {
    this.transport.close();
  }
}
