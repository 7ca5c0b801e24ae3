// Paths between a container and this machine, through bind mounts (so "Generating
// /app/alembic/versions/x.py" opens backend/alembic/versions/x.py, and a SQLite file in the
// container is read from the host).
import path from 'node:path';

export interface PathMapping {
  containerPath: string;
  hostPath: string;
}

/** Maps paths between the container and the host by their longest matching mount prefix. */
export class PathMapper {
  readonly mappings: readonly PathMapping[];

  constructor(mappings: PathMapping[]) {
    this.mappings = mappings.map((mapping) => ({
      containerPath: path.posix.normalize(mapping.containerPath).replace(/(.)\/$/, '$1'),
      hostPath: path.resolve(mapping.hostPath),
    }));
  }

  /** From a service's bind mounts (the default when the user configured no mapping). */
  static fromService(service: { bindMounts: readonly PathMapping[] }): PathMapper {
    return new PathMapper(service.bindMounts.map(({ hostPath, containerPath }) => ({ hostPath, containerPath })));
  }

  /** From the `pathMappings` setting: `{ "/app": "${workspaceFolder}/backend" }`. */
  static fromSetting(setting: Record<string, string>, workspaceFolder: string): PathMapper {
    return new PathMapper(
      Object.entries(setting).map(([containerPath, hostPath]) => ({
        containerPath,
        hostPath: path.resolve(workspaceFolder, hostPath.split('${workspaceFolder}').join(workspaceFolder)),
      })),
    );
  }

  /** The host path of a container path, or undefined when no mount covers it. */
  toHost(containerPath: string): string | undefined {
    const normalized = path.posix.normalize(containerPath);
    const mapping = longestPrefix(this.mappings, (m) => m.containerPath, normalized, path.posix.sep);
    if (!mapping) return undefined;
    const rest = normalized.slice(mapping.containerPath.length).replace(/^\/+/, '');
    return rest ? path.join(mapping.hostPath, ...rest.split('/')) : mapping.hostPath;
  }

  /** The container path of a host path, or undefined when it is not mounted. */
  toContainer(hostPath: string): string | undefined {
    const normalized = path.resolve(hostPath);
    const mapping = longestPrefix(this.mappings, (m) => m.hostPath, normalized, path.sep);
    if (!mapping) return undefined;
    const rest = path.relative(mapping.hostPath, normalized);
    return rest ? path.posix.join(mapping.containerPath, ...rest.split(path.sep)) : mapping.containerPath;
  }
}

function longestPrefix<T>(items: readonly T[], key: (item: T) => string, value: string, separator: string): T | undefined {
  let best: T | undefined;
  let bestLength = -1;
  for (const item of items) {
    const prefix = key(item);
    const covers = value === prefix || value.startsWith(prefix.endsWith(separator) ? prefix : prefix + separator);
    if (covers && prefix.length > bestLength) {
      best = item;
      bestLength = prefix.length;
    }
  }
  return best;
}
