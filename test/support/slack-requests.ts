export * from '@promotion-bot/standin/requests';
