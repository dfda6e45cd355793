import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

/** Every HTTP route the controllers register, as `METHOD /path/{param}`; specs compare it with a route table. */
export function controllerRoutes(controllers: Type[]): string[] {
  const routes: string[] = [];
  for (const controller of controllers) {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, object>)[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (name === 'constructor' || path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      // `@Controller()` and `@Get()` register '/': join without doubled slashes.
      const full = `/${[base, path].filter((part) => part && part !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
      routes.push(`${method} ${full}`);
    }
  }
  return routes.sort();
}

/** The route table's routes in the same form. */
export const documentedRoutes = (operations: { method: string; path: string }[]) =>
  operations.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort();
