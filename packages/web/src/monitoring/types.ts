// The socket the candidate app and the phone page already hold, typed with the shared event maps.
import type { Socket } from 'socket.io-client';
import type { ClientToServer, ServerToClient } from '@invigil/contracts';

export type MonitoringSocket = Socket<ServerToClient, ClientToServer>;
