import { buildFastify } from './fastify.js';
import { buildHttp } from './http.js';
import type { AppBuilder } from './types.js';

export const SERVER_NAMES = ['fastify', 'http'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export const SERVERS: Record<ServerName, AppBuilder> = { fastify: buildFastify, http: buildHttp };

export const isServerName = (s: string): s is ServerName => Object.hasOwn(SERVERS, s);
