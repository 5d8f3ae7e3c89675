/* The course's JupyterLite extension: hand in, helpers without a service worker, offline cache.
 *
 * Written by hand as a module-federation container (the interface JupyterLite loads extensions
 * through: `init(shareScope)`, then `get('./extension')`), so the site needs no bundler and no
 * npm build: the JupyterLab modules it uses come from the app's own share scope, the same
 * instances the app runs. Its job:
 *
 * 1. "Download to hand in" (notebook toolbar and File menu): saves, then downloads the notebook
 *    under its own name (protection.ipynb). JupyterLite's own File > Download names the file
 *    after its folder path (protection_protection.ipynb), which the grader does not expect, so
 *    its download commands are replaced here by ones that keep the file's name.
 * 2. Where no service worker runs (some private windows, plain-HTTP hosts, browser policies),
 *    the kernel cannot see the notebook's folder and `import course_tools` would fail. The first
 *    message each new kernel receives is a silent cell that, in that case only, asks this page
 *    for the folder's helper files and writes them beside the kernel; the kernel runs one
 *    message at a time, so the notebook's own cells run after it.
 * 3. Once the kernel is ready, it asks the site's service worker to keep every file this visit
 *    used (they are already in the browser's cache), so the next visit works with no network.
 * 4. "Start this question again" and "Start again from the original": put back one question's
 *    answer cell, or the whole notebook, as the site released it, after keeping a copy of the
 *    student's work beside it (a dated file in the same folder). A question's cells are those
 *    whose metadata["course"]["question"] names it (the course's cell metadata, course-v2.json
 *    in exercises/graded/metadata/); its answer cell is nbgrader's solution cell among them.
 * 5. What a student needs to see at any width: Python's state in words ("Python is ready") at
 *    the start of the notebook's toolbar, where a phone's narrow toolbar keeps it, and the time
 *    of this browser's last save in place of JupyterLab's checkpoint date.
 * 6. The kernel starts as the app starts, not once the notebook is read and drawn: a session for
 *    the notebook in the page's address is started when this plugin activates, and the notebook
 *    adopts it (JupyterLab's SessionContext connects to a running session for its own path
 *    before it would start one). Python's start-up then runs in its worker while the main thread
 *    builds the page. A session the notebook does not adopt is shut down.
 */
/* eslint-env browser */
(function () {
  'use strict';

  const NAME = '@course-kit/lite';
  // The app's folder (lite/): this file is lite/extensions/@course-kit/lite/static/remoteEntry.js.
  const LITE_ROOT = new URL('../../../../', document.currentScript ? document.currentScript.src : location.href).href;
  const HAND_IN = 'course:download-to-hand-in';
  // How check() introduces an answer the grader cannot read (course_tools.NOT_READABLE).
  const NOT_READABLE = 'Not readable yet.';
  // Where the kernel's worker mounts the notebooks' folders (kernel_start.DRIVE).
  const DRIVE = '/drive';
  const RESTORE_QUESTION = 'course:start-question-again';
  const RESTORE_NOTEBOOK = 'course:start-again-from-original';
  const COURSE_KEY = 'course';  // cell.metadata[COURSE_KEY], as exercises/graded/metadata/ writes it
  const SAVED_KEY = 'course-kit-lite-saved:';  // localStorage: the time of this browser's last save
  const FILES_CHANNEL = 'course-kit-lite-files';
  const MAX_HELPER_BYTES = 2 * 1024 * 1024;

  let shareScope = null;

  function newest(versions) {
    const parse = (v) => v.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
    return Object.keys(versions).sort((a, b) => {
      const pa = parse(a), pb = parse(b);
      for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        if (pa[i] === pb[i]) continue;
        if (pa[i] === undefined) return -1;
        if (pb[i] === undefined) return 1;
        return pa[i] < pb[i] ? -1 : 1;
      }
      return 0;
    }).pop();
  }

  async function shared(name) {
    const versions = shareScope && shareScope[name];
    if (!versions || !Object.keys(versions).length) {
      throw new Error(`${NAME}: the app shares no ${name}`);
    }
    const factory = await versions[newest(versions)].get();
    return factory();
  }

  // ---- Python the kernel runs first: the helper files, where the kernel cannot see them --------

  function setupCode(folder) {
    return `
async def _course_kit_helpers(folder):
    import asyncio, base64, json, os
    if os.getcwd().startswith(${JSON.stringify(DRIVE)}):
        return  # the service worker shows the kernel the notebook's folder
    import js
    from pyodide.ffi import create_proxy
    token = os.urandom(8).hex()
    loop = asyncio.get_running_loop()
    answer = loop.create_future()

    def on_message(event):
        data = event.data.to_py()
        if data.get("reply") == token and not answer.done():
            answer.set_result(data)

    channel = js.BroadcastChannel.new(${JSON.stringify(FILES_CHANNEL)})
    listener = create_proxy(on_message)
    channel.addEventListener("message", listener)
    try:
        channel.postMessage(js.JSON.parse(json.dumps({"request": token, "folder": folder})))
        files = (await asyncio.wait_for(answer, 20))["files"]
    finally:
        channel.close()
        listener.destroy()
    for name, (fmt, content) in files.items():
        data = base64.b64decode(content) if fmt == "base64" else content.encode("utf-8")
        with open(name, "wb") as f:
            f.write(data)

await _course_kit_helpers(${JSON.stringify(folder)})
del _course_kit_helpers
import os as _course_kit_os
if _course_kit_os.path.exists("course_tools.py"):
    # Its plain sentences for a slip, from the first cell on: a cell Python cannot parse never
    # runs its own import line.
    try:
        import course_tools
    except Exception:
        pass
del _course_kit_os
`;
  }

  async function helperFiles(contents, folder) {
    const listing = await contents.get(folder, { content: true });
    const files = {};
    for (const item of listing.content || []) {
      if (item.type !== 'file' || (item.size || 0) > MAX_HELPER_BYTES) continue;
      const model = await contents.get(item.path, { content: true });
      let { format, content } = model;
      if (format === 'json' || typeof content !== 'string') {
        format = 'text';
        content = JSON.stringify(content, null, 1);
      }
      files[item.name] = [format === 'base64' ? 'base64' : 'text', content];
    }
    return files;
  }

  function serveHelperFiles(contents) {
    const channel = new BroadcastChannel(FILES_CHANNEL);
    channel.addEventListener('message', async (event) => {
      const { request, folder } = event.data || {};
      if (!request) return;
      let files = {};
      try {
        files = await helperFiles(contents, folder || '');
      } catch (e) {
        console.warn(`${NAME}: could not read the notebook's folder`, e);
      }
      channel.postMessage({ reply: request, files });
    });
  }

  // ---- Service workers: JupyterLite's own only ---------------------------------------------------
  // When it sees a new version of itself, JupyterLite unregisters every service worker of the
  // origin, the course site's own (at the site root) included, and takes a worker that already
  // controls the page for its own even when it is the site's, which does not serve the kernel's
  // window on the notebook's folder. Shown only the registrations under lite/, it removes and
  // reuses only its own, and registers its own when the page came up under the site's worker.
  (function onlyOwnRegistrations() {
    const sw = navigator.serviceWorker;
    if (!sw || !sw.getRegistrations) return;
    const mine = (r) => r && r.scope.startsWith(LITE_ROOT);
    const all = sw.getRegistrations.bind(sw);
    const one = sw.getRegistration.bind(sw);
    sw.getRegistrations = async () => (await all()).filter(mine);
    sw.getRegistration = async (url) => { const r = await one(url); return mine(r) ? r : undefined; };
  })();

  // ---- The kernel's files, fetched while the app starts ------------------------------------------
  // The kernel's worker starts only once the notebook is on screen; fetched now, its standard
  // library and wheels are in the browser's cache by then (on a first visit over a slow link,
  // seconds sooner). Not the 9.6 MB wasm: a private window's memory cache does not keep a file
  // that large, and the worker would download it a second time.
  // A later visit has them in the service worker's cache: fetched again now, they would only
  // take the app's start time on a busy phone.
  (function fetchKernelEarly() {
    const cached = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!/\/notebooks\//.test(location.pathname) || !window.fetch || cached) return;
    const base = LITE_ROOT + 'static/pyodide/';
    const get = (name) => fetch(base + name, { priority: 'low' }).then((r) => r.arrayBuffer()).catch(() => null);
    fetch(base + 'pyodide-lock.json').then((r) => r.json()).then((lock) => {
      ['python_stdlib.zip', 'pyodide.asm.mjs'].forEach(get);
      Object.values(lock.packages || {}).forEach((p) => get(p.file_name));
    }).catch(() => {});
  })();

  // ---- Offline: keep what this visit used --------------------------------------------------------

  function keepForOffline() {
    const sw = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (!sw) return;
    const here = new URL('.', document.baseURI).origin;
    const urls = performance.getEntriesByType('resource')
      .map((e) => e.name)
      .filter((u) => u.startsWith(here));
    urls.push(location.href);
    // The released notebook, for "Start again" with no network.
    const path = new URLSearchParams(location.search).get('path');
    if (path) urls.push(new URL('files/' + path.split('/').map(encodeURIComponent).join('/'), LITE_ROOT).href);
    sw.postMessage({ type: 'course-kit-keep', urls });
  }

  // ---- Download under the file's own name ------------------------------------------------------

  function saveAs(name, text, mime) {
    const url = URL.createObjectURL(new Blob([text], { type: mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function download(contents, path, name) {
    const model = await contents.get(path, { content: true });
    if (model.type === 'notebook' || model.format === 'json') {
      saveAs(name, JSON.stringify(model.content, null, 1) + '\n', 'application/x-ipynb+json');
    } else if (model.format === 'base64') {
      const bytes = Uint8Array.from(atob(model.content), (c) => c.charCodeAt(0));
      saveAs(name, bytes, model.mimetype || 'application/octet-stream');
    } else {
      saveAs(name, model.content, model.mimetype || 'text/plain');
    }
  }

  function askToKeepStorage() {
    // The work lives in this browser's storage; ask the browser not to clear it when space runs
    // low (Chrome, Edge and Safari decide by themselves; Firefox asks the reader once).
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then((kept) => kept || navigator.storage.persist()).catch(() => {});
    }
  }

  // ---- Start again: the original notebook, a question's cells, a copy of the work --------------

  function questionOf(metadata) {
    const course = metadata && metadata[COURSE_KEY];
    return course && typeof course.question === 'string' ? course.question : null;
  }

  function isAnswer(cell) {
    const nbgrader = (cell.metadata && cell.metadata.nbgrader) || {};
    return !!nbgrader.solution && !nbgrader.locked;
  }

  function gradeId(cell) {
    const nbgrader = (cell.metadata && cell.metadata.nbgrader) || {};
    return nbgrader.grade_id || null;
  }

  // ---- The kernel, started with the app ----------------------------------------------------

  /** The notebook this page opens (notebooks/?path=folder/name.ipynb), or null. */
  function notebookInAddress() {
    if (!/\/notebooks\/(index\.html)?$/.test(location.pathname)) return null;
    const path = new URLSearchParams(location.search).get('path');
    return path && path.endsWith('.ipynb') ? path : null;
  }

  /**
   * Start the session the notebook will adopt: { path, session } (a promise of the connection),
   * or null when the page opens no notebook.
   */
  function startEarly(app, PathExt) {
    const path = notebookInAddress();
    if (!path) return null;
    const { sessions, kernelspecs } = app.serviceManager;
    const session = Promise.all([sessions.ready, kernelspecs.ready]).then(() => sessions.startNew({
      path, name: PathExt.basename(path), type: 'notebook',
      kernel: { name: (kernelspecs.specs && kernelspecs.specs.default) || 'python' },
    }));
    session.catch(() => {});  // the notebook then starts its own, as it always would
    const early = { path, session, claimed: false };
    // No notebook opened it (the file is missing, say): nothing should keep a kernel running.
    setTimeout(() => { if (!early.claimed) session.then((c) => c.shutdown()).catch(() => {}); }, 120000);
    return early;
  }

  /** Once the notebook's session is ready: keep the early one if adopted, else shut it down. */
  function settleEarly(early, sessionContext) {
    early.claimed = true;
    sessionContext.ready.then(() => early.session).then((connection) => {
      const adopted = sessionContext.session && sessionContext.session.id === connection.id;
      if (adopted) connection.dispose();  // this connection only; the notebook has its own
      else connection.shutdown().catch(() => {});
    }).catch(() => {});
  }

  function questionNumber(question) {
    return question.replace(/^q/, '');
  }

  /**
   * The answers whose last run said the grader cannot read them: check()'s "Not readable yet"
   * sentence, or an error. [{ index, question, said }], in the notebook's order. The grader reads
   * the cell's text, not its output, so this is what the student last saw, not a verdict.
   */
  function unreadableAnswers(cells) {
    const found = [];
    cells.forEach((cell, index) => {
      const question = questionOf(cell.metadata);
      if (cell.cell_type !== 'code' || !question || !isAnswer(cell)) return;
      for (const output of cell.outputs || []) {
        const text = [].concat(output.text || []).join('');
        if (output.output_type === 'error' || text.startsWith(NOT_READABLE)) {
          const said = output.output_type === 'error' ? `${output.ename}: ${output.evalue}` : text.trim();
          found.push({ index, question, said });
          return;
        }
      }
    });
    return found;
  }

  async function original(path) {
    // The file as the site released it (lite/files/...): the browser's own copy is the work.
    const url = new URL('files/' + path.split('/').map(encodeURIComponent).join('/'), LITE_ROOT);
    const response = await fetch(url, { cache: 'no-cache' }).catch(() => null);
    if (!response || !response.ok) {
      throw new Error('The original notebook could not be loaded from the course site. ' +
                      'Check your internet connection and try again: nothing was changed.');
    }
    return response.json();
  }

  function stamp(date) {
    const two = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
           `${two(date.getHours())}.${two(date.getMinutes())}`;
  }

  async function exists(contents, path) {
    try {
      await contents.get(path, { content: false });
      return true;
    } catch (e) {
      return false;
    }
  }

  async function keepCopy(contents, PathExt, context) {
    // Beside the notebook, named after it and the time: "protection - my work 2026-12-07 14.03.ipynb".
    const folder = PathExt.dirname(context.path);
    const stem = PathExt.basename(context.path, '.ipynb');
    const now = new Date();
    let name = `${stem} - my work ${stamp(now)}.ipynb`;
    for (let n = 2; await exists(contents, PathExt.join(folder, name)); n++) {
      name = `${stem} - my work ${stamp(now)} (${n}).ipynb`;
    }
    await contents.save(PathExt.join(folder, name),
                        { type: 'notebook', format: 'json', content: context.model.toJSON() });
    return name;
  }

  function restoreCells(model, fresh, question) {
    // Each answer cell of the question takes the original's text, with no output, in place (the
    // cell stays where it is, on screen); one the student removed comes back after the
    // question's last cell.
    const answers = fresh.cells.filter((c) => questionOf(c.metadata) === question && isAnswer(c));
    for (const answer of answers) {
      const cells = model.toJSON().cells;
      const at = cells.findIndex((c) => gradeId(c) && gradeId(c) === gradeId(answer));
      const source = Array.isArray(answer.source) ? answer.source.join('') : answer.source;
      if (at >= 0) {
        const cell = model.cells.get(at);
        cell.sharedModel.setSource(source);
        if (cell.type === 'code') {
          cell.outputs.clear();
          cell.executionCount = null;
        }
      } else {
        let last = -1;
        cells.forEach((c, i) => { if (questionOf(c.metadata) === question) last = i; });
        model.sharedModel.insertCell(last >= 0 ? last + 1 : cells.length, answer);
      }
    }
    return answers.length;
  }

  // ---- What the student sees: Python's state, the last save ------------------------------------

  const STATES = {
    idle: ['ready', 'Python is ready'],
    busy: ['busy', 'Python is working…'],
    starting: ['starting', 'Python is starting…'],
    initializing: ['starting', 'Python is starting…'],
    connecting: ['starting', 'Python is starting…'],
    unknown: ['starting', 'Python is starting…'],
    restarting: ['starting', 'Python is restarting…'],
    autorestarting: ['starting', 'Python is restarting…'],
    dead: ['stopped', 'Python stopped: reload the page'],
    terminating: ['stopped', 'Python is not running'],
    disconnected: ['stopped', 'Python is not running'],
  };

  function kernelState(Widget, sessionContext) {
    const widget = new Widget();
    widget.addClass('course-kit-kernel-state');
    widget.node.setAttribute('role', 'status');
    widget.node.setAttribute('aria-live', 'polite');
    let settingUp = 0;  // the page's silent set-up cells still to run: Python is not ready for the student's
    const show = () => {
      let status = sessionContext.hasNoKernel && !sessionContext.isReady ? 'unknown'
        : sessionContext.kernelDisplayStatus;
      if (settingUp && (status === 'idle' || status === 'busy')) status = 'starting';
      const [state, text] = STATES[status] || STATES.unknown;
      widget.node.dataset.state = state;
      widget.node.title = 'Python runs in this browser tab: the code cells need it to be ready.';
      widget.node.textContent = text;
    };
    sessionContext.statusChanged.connect(show);
    sessionContext.connectionStatusChanged.connect(show);
    sessionContext.kernelChanged.connect(show);
    show();
    /** "Starting" until the set-up cell is done: the kernel started with the app is idle before it. */
    widget.settingUp = (done) => {
      settingUp += 1;
      show();
      const over = () => { settingUp -= 1; show(); };
      done.then(over, over);
    };
    return widget;
  }

  function savedText(iso) {
    if (!iso) return 'Not saved yet';
    const when = new Date(iso);
    const time = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    if (when.toDateString() === new Date().toDateString()) return `Saved at ${time}`;
    return `Saved on ${when.toLocaleDateString([], { day: 'numeric', month: 'short' })} at ${time}`;
  }

  const STYLE = `
.course-kit-kernel-state { display: flex; align-items: center; gap: 6px; padding: 0 8px;
  font-size: var(--jp-ui-font-size1); color: var(--jp-ui-font-color1); white-space: nowrap; }
.course-kit-kernel-state::before { content: ''; width: 10px; height: 10px; border-radius: 50%;
  flex: none; border: 2px solid var(--jp-warn-color0); box-sizing: border-box; }
.course-kit-kernel-state[data-state="ready"]::before { background: var(--jp-success-color1);
  border-color: var(--jp-success-color1); }
.course-kit-kernel-state[data-state="busy"]::before { background: var(--jp-warn-color1);
  border-color: var(--jp-warn-color1); }
.course-kit-kernel-state[data-state="stopped"]::before { background: var(--jp-error-color1);
  border-color: var(--jp-error-color1); }
/* A written answer is a markdown cell, which JupyterLab draws like the text around it: framed
   here, with a label, so a student sees where to write (the notebook says "the answer box"). */
.jp-MarkdownCell.course-kit-answer .jp-Cell-inputWrapper { border: 2px solid var(--jp-brand-color1);
  border-radius: 4px; background: var(--jp-layout-color0); margin: 4px 0; flex-wrap: wrap; }
.jp-MarkdownCell.course-kit-answer .jp-Cell-inputWrapper::before { content: 'Your answer (double-click or double-tap to write)';
  flex: 0 0 100%; box-sizing: border-box; padding: 2px 8px; font-size: var(--jp-ui-font-size1); color: var(--jp-ui-font-color1);
  background: var(--jp-layout-color2); border-bottom: 1px solid var(--jp-border-color1); }
.course-kit-saved { align-self: center; padding: 0 8px; font-size: var(--jp-ui-font-size1);
  color: var(--jp-ui-font-color2); white-space: nowrap; }
/* What check() prints is a sentence: wrapped between words (JupyterLab breaks output anywhere,
   "betwee/n quotes" on a phone), a long word only where nothing else fits. */
.jp-OutputArea-output pre { word-break: normal; overflow-wrap: anywhere; }
`;

  function addStyle() {
    const style = document.createElement('style');
    style.id = 'course-kit-lite-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  // ---- The plugin ------------------------------------------------------------------------------

  async function extension() {
    const [apputils, ui, coreutils, docmanager, mainmenu, filebrowser, notebook, widgets] = await Promise.all([
      shared('@jupyterlab/apputils'), shared('@jupyterlab/ui-components'),
      shared('@jupyterlab/coreutils'), shared('@jupyterlab/docmanager'),
      shared('@jupyterlab/mainmenu'), shared('@jupyterlab/filebrowser'),
      shared('@jupyterlab/notebook'), shared('@lumino/widgets'),
    ]);
    const { PathExt } = coreutils;
    const { Dialog, showDialog, Notification } = apputils;
    const { Widget } = widgets;

    const plugin = {
      id: `${NAME}:plugin`,
      description: 'Download to hand in; helper files and offline use for the course notebooks.',
      autoStart: true,
      requires: [docmanager.IDocumentManager],
      optional: [mainmenu.IMainMenu, filebrowser.IFileBrowserFactory, notebook.INotebookTracker],
      activate(app, docManager, mainMenu, browsers, notebooks) {
        const { commands, shell } = app;
        const contents = app.serviceManager.contents;
        const current = () => shell.currentWidget && docManager.contextForWidget(shell.currentWidget);

        const early = startEarly(app, PathExt);
        serveHelperFiles(contents);
        addStyle();

        // ---- Start again ----
        const currentNotebook = () => (notebooks && notebooks.currentWidget) || null;
        const activeQuestion = () => {
          const panel = currentNotebook();
          const cell = panel && panel.content.activeCell;
          if (!cell) return null;
          const question = questionOf(cell.model.toJSON().metadata);
          if (!question) return null;
          const cells = panel.content.model.toJSON().cells;
          return cells.some((c) => questionOf(c.metadata) === question && isAnswer(c)) ? question : null;
        };
        const startAgain = async ({ title, body, accept, change }) => {
          const panel = currentNotebook();
          if (!panel) return;
          const context = panel.context;
          const result = await showDialog({
            title,
            body,
            buttons: [Dialog.cancelButton({ label: 'Keep working' }), Dialog.warnButton({ label: accept })],
          });
          if (!result.button.accept) return;
          try {
            const fresh = await original(context.path);
            const copy = await keepCopy(contents, PathExt, context);
            await change(panel, fresh);
            await context.save();
            Notification.success(`Your work as it was is kept in the same folder as "${copy}". ` +
                                 'Open it from File > Open.', { autoClose: 15000 });
          } catch (e) {
            await showDialog({ title: 'Nothing was changed', body: e.message || String(e),
                               buttons: [Dialog.okButton({ label: 'OK' })] });
          }
        };

        commands.addCommand(RESTORE_QUESTION, {
          label: () => {
            const question = activeQuestion();
            return question ? `Start question ${questionNumber(question)} again…` : 'Start this question again…';
          },
          caption: 'Put back the answer cell of the question you are in as it was at the start, ' +
                   'after keeping a copy of your work',
          isEnabled: () => !!activeQuestion(),
          execute: () => {
            const question = activeQuestion();
            if (!question) return;
            const n = questionNumber(question);
            return startAgain({
              title: `Start question ${n} again?`,
              body: `Your answer to question ${n} goes back to how it was when you first opened ` +
                    'this notebook. Your other answers stay as they are. Before that, a copy of ' +
                    'your whole notebook as it is now is kept in the same folder, with today\'s ' +
                    'date in its name, so nothing is lost.',
              accept: `Start question ${n} again`,
              change: async (panel, fresh) => {
                if (!restoreCells(panel.content.model, fresh, question)) {
                  throw new Error(`The original notebook has no answer cell for question ${n}.`);
                }
              },
            });
          },
        });

        commands.addCommand(RESTORE_NOTEBOOK, {
          label: 'Start again from the original…',
          caption: 'Put back the whole notebook as it was at the start, after keeping a copy of your work',
          isEnabled: () => !!currentNotebook(),
          execute: () => startAgain({
            title: 'Start the whole notebook again?',
            body: 'Every answer in this notebook goes back to how it was when you first opened it. ' +
                  'Before that, a copy of your notebook as it is now is kept in the same folder, ' +
                  'with today\'s date in its name, so nothing is lost.',
            accept: 'Start again',
            change: async (panel, fresh) => {
              panel.content.model.fromJSON(fresh);
            },
          }),
        });

        app.contextMenu.addItem({ type: 'separator', selector: '.jp-Notebook .jp-Cell', rank: -2 });
        app.contextMenu.addItem({ command: RESTORE_QUESTION, selector: '.jp-Notebook .jp-Cell', rank: -1 });

        // ---- The time of the last save, for the notebook on screen ----
        const saved = new Widget();
        saved.id = 'course-kit-saved';
        saved.addClass('course-kit-saved');
        saved.node.setAttribute('aria-live', 'polite');
        const showSaved = () => {
          const context = current();
          saved.node.textContent = context ? savedText(localStorage.getItem(SAVED_KEY + context.path)) : '';
        };
        const watchSaves = (context) => {
          context.saveState.connect((_, state) => {
            if (state !== 'completed') return;
            const when = (context.contentsModel && context.contentsModel.last_modified) || new Date().toISOString();
            try { localStorage.setItem(SAVED_KEY + context.path, when); } catch (e) { /* storage full: shown, not kept */ }
            showSaved();
          });
        };
        if (shell.currentChanged) shell.currentChanged.connect(showSaved);
        // In the top bar, beside the title: overrides.json keeps that bar at every width (Notebook 7
        // hides it on a narrow screen), so a phone shows the save time too.
        shell.add(saved, 'top', { rank: 1000 });
        setInterval(showSaved, 60000);  // "Saved at" becomes "Saved on ..." after midnight

        commands.addCommand(HAND_IN, {
          label: 'Download to hand in',
          caption: 'Save the notebook and download it under the name the grader expects',
          icon: ui.downloadIcon,
          isEnabled: () => !!current(),
          execute: async () => {
            const context = current();
            if (!context) return;
            const panel = currentNotebook();
            const unreadable = panel && panel.context === context
              ? unreadableAnswers(panel.content.model.toJSON().cells) : [];
            if (unreadable.length) {
              const list = document.createElement('ul');
              for (const { question, said } of unreadable) {
                const item = document.createElement('li');
                // "Not readable yet. q1: put the letter ..." as "Question 1: put the letter ...".
                const message = (said.startsWith(NOT_READABLE) ? said.slice(NOT_READABLE.length).trim() : said)
                  .replace(`${question}: `, '');
                item.textContent = `Question ${questionNumber(question)}: ${message}`;
                list.append(item);
              }
              const body = document.createElement('div');
              const intro = document.createElement('p');
              intro.textContent = unreadable.length === 1
                ? 'When you last ran it, this answer could not be read by the grader:'
                : 'When you last ran them, these answers could not be read by the grader:';
              const after = document.createElement('p');
              after.textContent = 'Correct the answer as the message says and run its cell again ' +
                                  '(Shift + Enter), then download. You can also download as it is.';
              body.append(intro, list, after);
              const result = await showDialog({
                title: 'Before you hand in',
                body: new Widget({ node: body }),
                buttons: [Dialog.cancelButton({ label: 'Go back to the answer' }),
                          Dialog.warnButton({ label: 'Download as it is' })],
                defaultButton: 0,  // Enter goes back; downloading as it is takes a deliberate choice
              });
              if (!result.button.accept) {
                panel.content.activeCellIndex = unreadable[0].index;
                if (panel.content.activeCell) panel.content.scrollToCell(panel.content.activeCell).catch(() => {});
                return;
              }
            }
            await context.save();
            const name = PathExt.basename(context.path);
            await download(contents, context.path, name);
            await apputils.showDialog({
              title: 'Your notebook is downloaded',
              body: `It is saved in your Downloads folder as ${name}. Hand in that file as your ` +
                    'lecturer asks (for example on Moodle). Your work also stays in this browser.',
              buttons: [apputils.Dialog.okButton({ label: 'OK' })],
            });
          },
        });

        // JupyterLite's own download commands (disabled in jupyter-lite.json), keeping the name.
        commands.addCommand('docmanager:download', {
          label: 'Download',
          caption: 'Download the file to your computer',
          isEnabled: () => !!current(),
          execute: async () => {
            const context = current();
            if (!context) return;
            await context.save();
            await download(contents, context.path, PathExt.basename(context.path));
          },
        });
        commands.addCommand('filebrowser:download', {
          label: 'Download',
          icon: ui.downloadIcon,
          execute: async () => {
            const browser = browsers && browsers.tracker.currentWidget;
            if (!browser) return;
            for (const item of Array.from(browser.selectedItems())) {
              if (item.type !== 'directory') await download(contents, item.path, item.name);
            }
          },
        });

        if (mainMenu) {
          mainMenu.fileMenu.addGroup([{ command: HAND_IN }, { command: RESTORE_NOTEBOOK }], -1);
          mainMenu.editMenu.addGroup([{ command: RESTORE_QUESTION }], -1);
          // Where JupyterLite's disabled plugin had it.
          mainMenu.fileMenu.addGroup([{ command: 'docmanager:download' }], 6);
        }

        app.docRegistry.addWidgetExtension('Notebook', {
          createNew(panel, context) {
            // A command button, as the toolbar's own (a plain ToolbarButton carries aria-pressed).
            const button = new ui.CommandToolbarButton({
              commands, id: HAND_IN, icon: ui.downloadIcon, label: 'Download to hand in',
            });
            button.addClass('course-kit-hand-in');
            panel.toolbar.insertItem(0, 'course-kit-hand-in', button);
            // First in the toolbar: a narrow toolbar moves its last items into a "more" menu.
            const state = kernelState(Widget, panel.sessionContext);
            panel.toolbar.insertItem(0, 'course-kit-kernel-state', state);
            watchSaves(context);
            context.ready.then(showSaved);
            if (early && context.path === early.path) settleEarly(early, panel.sessionContext);

            // Frame the answer cells, again whenever cells are added or put back.
            const markAnswers = () => {
              for (const cell of panel.content.widgets) {
                const metadata = { nbgrader: cell.model.getMetadata('nbgrader') };
                cell.toggleClass('course-kit-answer', cell.model.type === 'markdown' && isAnswer({ metadata }));
              }
            };
            context.ready.then(() => {
              markAnswers();
              panel.content.model.cells.changed.connect(() => setTimeout(markAnswers, 0));
            });

            let firstIdle = true;
            const setUp = (kernel) => {
              if (!kernel) return;
              // Sent before anything else on this kernel: its cells then run after it.
              const setUpCell = () => state.settingUp(kernel.requestExecute({
                code: setupCode(PathExt.dirname(context.path)), silent: true, store_history: false,
                stop_on_error: false }, true).done);
              setUpCell();
              let restarting = false;
              kernel.statusChanged.connect((_, status) => {
                if (status === 'restarting' || status === 'autorestarting') restarting = true;
                if (status === 'idle' && restarting) {
                  restarting = false;
                  setUpCell();
                }
                if (status === 'idle' && firstIdle) {
                  firstIdle = false;
                  setTimeout(keepForOffline, 1000);
                }
              });
            };
            panel.sessionContext.kernelChanged.connect((_, change) => setUp(change.newValue));
            if (panel.sessionContext.session && panel.sessionContext.session.kernel) {
              setUp(panel.sessionContext.session.kernel);
            }
            context.fileChanged.connect(() => askToKeepStorage());
            return button;
          },
        });
      },
    };
    return { __esModule: true, default: [plugin] };
  }

  const container = {
    init(scope) { shareScope = scope; },
    async get(module) {
      if (module !== './extension') throw new Error(`${NAME}: no module ${module}`);
      const exported = await extension();
      return () => exported;
    },
  };
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = container;
})();
