export * from './session';
export * from './sign-in';
export { myTickets, markSeen, PAGE_SIZE, type MyTicket, type StatusFilter } from './list';
export { hasPortalTickets } from './mail';
export * from './discord';
