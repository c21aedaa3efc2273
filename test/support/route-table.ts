import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from '../../apps/api/access/roles.decorator';
import { Role } from '../../libs/domain/access';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express form, e.g. /v1/predictions/:id */
  path: string;
  controller: string;
  handler: string;
  /** The roles it admits (null: it declares none). */
  roles: Role[] | null;
  isPublic: boolean;
}

const join = (...parts: (string | undefined)[]) => '/' + parts.flatMap((p) => (p ?? '').split('/')).filter(Boolean).join('/');

/**
 * Every route the running app has, read from Nest's module container (controllers and their handler
 * metadata, as Nest's router reads them), with the access rules each declares.
 */
export function routeTable(app: INestApplication): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string | undefined;
      for (const name of scanner.getAllMethodNames(type.prototype)) {
        const handler = (type.prototype as Record<string, object>)[name];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const meta = <T>(key: string) => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, type)) as T | undefined;
        routes.push({
          method: RequestMethod[method] as Route['method'],
          path: join(base, Reflect.getMetadata(PATH_METADATA, handler) as string),
          controller: type.name,
          handler: name,
          roles: meta<Role[]>(ROLES_KEY) ?? null,
          isPublic: meta<boolean>(PUBLIC_KEY) === true,
        });
      }
    }
  }
  return routes;
}

/** The routes Express really serves (method and path), to check the table above misses none. */
export function expressRoutes(app: INestApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  return router.stack
    .filter((l) => l.route)
    .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`));
}

/** A concrete URL for a route: every `:param` filled with a harmless value. */
export const sampleUrl = (path: string) => path.replace(/:[A-Za-z]+/g, 'x');
