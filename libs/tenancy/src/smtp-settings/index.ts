export * from './smtp-settings.entity';
export * from './smtp-settings.input';
export * from './smtp-settings.service';
export * from './smtp-mailer';
export * from './smtp-test-email.service';
