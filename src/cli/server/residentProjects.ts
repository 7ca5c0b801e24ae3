// What the resident server keeps per project between commands: the header cache as the last load
// saved it (so a load starts without reading and parsing the cache file), and the last model, which
// is answered again as long as nothing it was built from changed (so its graph, history order and
// problems need not be computed again). Every load still lists the version folders and stats every
// file; only what follows from identical input is reused.
import { AlembicProjectModel } from '../../core/projectModel';
import { HeaderCacheOptions, RevisionHeaderCache } from '../../core/project/headerCache';
import type { AlembicProjectConfig } from '../../core/project/projectConfig';
import type { ProjectStore } from '../cliTypes';

// A server answering for more projects than this forgets the one asked about longest ago.
const RESIDENT_PROJECTS = 16;

interface ResidentProject {
  cache: RevisionHeaderCache;
  /** The configuration as JSON: a changed alembic.ini (file_template, locations ...) means a new model. */
  configJson: string;
  model: AlembicProjectModel;
}

export class ResidentProjects implements ProjectStore {
  private readonly projects = new Map<string, ResidentProject>();
  /** Loads answered with the previous model (for `server status` and tests). */
  reused = 0;

  constructor(private readonly cacheOptions: HeaderCacheOptions = {}) {}

  load(config: AlembicProjectConfig, cacheFile: string): AlembicProjectModel {
    const previous = this.projects.get(cacheFile);
    const cache = previous ? previous.cache.continued() : RevisionHeaderCache.open(cacheFile, config.here, this.cacheOptions);
    const fresh = AlembicProjectModel.load(config, { headerCache: cache });
    const configJson = JSON.stringify(config);
    // The previous model must hold exactly the files its cache kept: one written a moment before
    // was read but not cached, and may be gone now.
    const unchanged =
      previous !== undefined &&
      previous.configJson === configJson &&
      cache.servedUnchanged(fresh.files.length) &&
      previous.model.files.length === fresh.files.length &&
      fresh.loadErrors.length === 0 &&
      previous.model.loadErrors.length === 0;
    const model = unchanged ? previous.model : fresh;
    if (unchanged) this.reused++;
    // Re-inserted, so the map's order is the order of last use.
    this.projects.delete(cacheFile);
    this.projects.set(cacheFile, { cache, configJson, model });
    if (this.projects.size > RESIDENT_PROJECTS) this.projects.delete(this.projects.keys().next().value as string);
    return model;
  }

  get projectCount(): number {
    return this.projects.size;
  }
}
