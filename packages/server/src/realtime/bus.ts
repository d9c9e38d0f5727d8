// The Bus port lives with the services (services/bus.ts); the socket.io adapter in socket.ts implements it.
export { channel, MemoryBus, type Bus, type Bus as RealtimeBus, type Target } from '../services/bus.ts';
