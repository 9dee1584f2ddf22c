/*
 * dl4j-debug: the Debug page. Fetches /debug/api/... and draws only what was stored: a section without data stays
 * hidden. The incidents come in the diagnosis' order and are shown in that order. Every stored string (layer names, messages, fixes) is inserted with textContent or drawn on a canvas, never
 * parsed as HTML. Polls every 2 s and redraws when the session has new records (live while training runs).
 */
(function () {
    'use strict';

    var POLL_MS = 2000;
    var API = '/debug/api';
    var state = {session: null, worker: null, lastTimestamp: undefined, multiSession: false,
        charts: {}, renderCount: 0, error: null, findingsMode: null};
    window.dl4jDebug = state;

    function $(id) { return document.getElementById(id); }

    function show(id, visible) { $(id).classList.toggle('d4d-hidden', !visible); }

    function el(tag, text, cls) {
        var e = document.createElement(tag);
        if (text !== undefined && text !== null) { e.textContent = String(text); }
        if (cls) { e.className = cls; }
        return e;
    }

    /** A stored number: numbers as numbers, the strings "NaN"/"Infinity"/"-Infinity" as themselves, null as '-'. */
    function fmt(v) {
        if (v === null || v === undefined) { return '-'; }
        if (typeof v === 'string') { return v; }
        if (v === 0) { return '0'; }
        var a = Math.abs(v);
        return (a >= 1e4 || a < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
    }

    function finite(v) { return typeof v === 'number' && isFinite(v); }

    function getJson(url) {
        return fetch(url, {cache: 'no-store'}).then(function (r) {
            return r.json().then(function (body) {
                if (!r.ok) { throw new Error(body && body.error ? body.error : ('HTTP ' + r.status)); }
                return body;
            });
        });
    }

    function params() {
        var p = new URLSearchParams(window.location.search);
        return {session: p.get('session'), worker: p.get('worker')};
    }

    function navigate(session, worker) {
        var q = '?session=' + encodeURIComponent(session) + (worker ? '&worker=' + encodeURIComponent(worker) : '');
        window.location.search = q;
    }

    function status(text) { $('status').textContent = text; }

    // ---- sessions and navigation

    function loadSessions() {
        return getJson(API + '/sessions').then(function (body) {
            state.multiSession = !!body.multiSession;
            var sessions = body.sessions || [];
            var wanted = params();
            var select = $('sessionSelect');
            select.textContent = '';
            if (sessions.length === 0) {
                status('No dl4j-debug session in the attached storages yet: attach a StatsStorage to the UI and add a '
                    + 'StatsStorageSink to the DebugSuite. Waiting...');
                return null;
            }
            var chosen = sessions[0];
            sessions.forEach(function (s) {
                if (s.id === wanted.session) { chosen = s; }
            });
            sessions.forEach(function (s) {
                var label = s.id + (s.startTime ? ' (' + new Date(s.startTime).toLocaleString() + ')' : '');
                var o = new Option(label, s.id, false, s.id === chosen.id);
                select.add(o);
            });
            if (wanted.session && wanted.session !== chosen.id) {
                status('Session ' + wanted.session + ' is not in the attached storages; showing the newest one.');
            }
            state.session = chosen.id;
            var workers = chosen.workers || [];
            state.worker = workers.indexOf(wanted.worker) >= 0 ? wanted.worker : workers[0];
            var wsel = $('workerSelect');
            wsel.textContent = '';
            workers.forEach(function (w) { wsel.add(new Option(w, w, false, w === state.worker)); });
            select.onchange = function () { navigate(select.value, null); };
            wsel.onchange = function () { navigate(state.session, wsel.value); };
            links(chosen);
            return chosen;
        });
    }

    /** Links to DL4J's own pages for the same session (multi-session paths, or select the session first). */
    function links(session) {
        ['overview', 'model', 'system'].forEach(function (page) {
            var a = $('nav' + page.charAt(0).toUpperCase() + page.slice(1));
            if (state.multiSession) {
                a.href = '/train/' + encodeURIComponent(session.id) + '/' + page;
                return;
            }
            a.href = '/train/' + page;
            a.onclick = function (ev) {
                if (!session.hasTrainingStats) { return true; }
                ev.preventDefault();
                fetch('/train/sessions/set/' + encodeURIComponent(session.id)).finally(function () {
                    window.location.href = '/train/' + page;
                });
                return false;
            };
        });
        $('navDebug').href = '/debug?session=' + encodeURIComponent(session.id);
    }

    // ---- sections

    function renderNonFinite(events) {
        var banner = $('nonFiniteBanner');
        banner.textContent = '';
        if (!events || events.length === 0) { show('nonFiniteBanner', false); return; }
        var e = events[0];
        banner.appendChild(el('b', 'NaN/Inf detected. '));
        banner.appendChild(el('span', 'First non-finite value at iteration ' + e.iteration + ' (epoch ' + e.epoch
            + ') in the ' + e.kind.toLowerCase() + ' pass of ' + (e.kind === 'INPUT' ? 'input ' : 'layer ')));
        banner.appendChild(el('code', e.layer, 'd4d-layer'));
        if (e.parameter) {
            banner.appendChild(el('span', ', parameter '));
            banner.appendChild(el('code', e.parameter));
        }
        banner.appendChild(el('span', ': ' + e.count + ' of ' + e.total + ' values.'));
        show('nonFiniteBanner', true);
    }

    /** Layers as text: at most six, then how many more. */
    function layerList(layers) {
        var shown = layers.slice(0, 6).join(', ');
        return layers.length > 6 ? shown + ', ... (' + layers.length + ' layers)' : shown;
    }

    /**
     * The trial of a fix on a copy: a badge with the held-out metric of both copies and the improvement the verdict
     * needed (confirmed or not), or a note that none ran.
     */
    function verificationBadge(v) {
        if (!v) { return el('span', 'not tried on a copy', 'd4d-badge d4d-badge-untried'); }
        var unchanged = v.baselineMetric && v.baselineMetric.length > 0 ? v.baselineMetric[0] : null;
        var text = (v.confirmed ? 'verified on a copy' : 'not confirmed on a copy') + ': held-out '
            + (v.metric === 'ACCURACY' ? 'accuracy ' : 'loss ') + fmt(v.fixedMetric) + ' vs ' + fmt(unchanged)
            + ' unchanged (needed a gain > ' + fmt(v.required) + ') after ' + v.iterations + ' iterations';
        var badge = el('span', text, 'd4d-badge ' + (v.confirmed ? 'd4d-badge-verified' : 'd4d-badge-unconfirmed'));
        badge.title = v.summary || '';
        return badge;
    }

    function incidentCard(i) {
        var card = el('div', null, 'd4d-incident d4d-incident-' + i.severity.replace(/[^A-Z]/g, ''));
        card.setAttribute('data-incident-id', String(i.id));
        card.setAttribute('data-symptom', i.symptom);
        var head = el('div', null, 'd4d-incident-head');
        head.appendChild(el('span', i.severity, 'd4d-badge d4d-sev-' + i.severity.replace(/[^A-Z]/g, '')));
        head.appendChild(el('b', '#' + i.id + ' ' + i.symptom, 'd4d-incident-title'));
        var where = el('span', null, 'd4d-muted');
        where.appendChild(el('span', i.level + ' \u00b7 '));
        if (i.layers && i.layers.length > 0) {
            where.appendChild(el('span', (i.layers.length > 1 ? 'layers ' : 'layer ')));
            where.appendChild(el('code', layerList(i.layers), 'd4d-layer'));
            where.appendChild(el('span', ' \u00b7 '));
        }
        where.appendChild(el('span', 'from iteration ' + i.firstIteration));
        head.appendChild(where);
        head.appendChild(verificationBadge(i.verification));
        card.appendChild(head);

        var root = el('div', null, 'd4d-root');
        root.appendChild(el('b', 'Root cause: '));
        root.appendChild(el('span', i.message, 'd4d-message'));
        card.appendChild(root);

        if (i.fix && i.fix.length > 0) {
            var fix = el('div', null, 'd4d-fix');
            fix.appendChild(el('b', 'Fix:'));
            var ul = el('ul');
            i.fix.forEach(function (line) {
                var li = el('li');
                li.appendChild(el('code', line, 'd4d-code'));
                ul.appendChild(li);
            });
            fix.appendChild(ul);
            card.appendChild(fix);
        }
        if (i.verification && i.verification.summary) {
            card.appendChild(el('div', i.verification.summary, 'd4d-verification'));
        }
        if (i.explains && i.explains.length > 0) {
            var ex = el('div', null, 'd4d-explains');
            ex.appendChild(el('span', 'explains: ', 'd4d-muted'));
            var list = el('ul');
            i.explains.forEach(function (g) {
                var li = el('li', g.summary);
                li.setAttribute('data-symptom', g.symptom);
                list.appendChild(li);
            });
            ex.appendChild(list);
            card.appendChild(ex);
        }
        return card;
    }

    /**
     * The diagnosis, in its order (never re-sorted here): loud incidents as cards, INFO ones as small notes. Without
     * a stored diagnosis (a file from before diagnoses) the section stays hidden and the findings table is shown open,
     * as before; with one, the raw and dismissed findings are folded below.
     */
    function renderIncidents(incidents, dismissed, findings) {
        var has = incidents !== null && incidents !== undefined;
        show('incidentsBox', has);
        var cards = $('incidentCards'), notes = $('incidentNotes');
        cards.textContent = '';
        notes.textContent = '';
        var mode = has ? 'incidents' : 'findings';
        if (state.findingsMode !== mode) {
            // Only when the mode changes, so that a user's click on the fold survives the 2-second refresh.
            state.findingsMode = mode;
            $('findingsDetails').open = !has;
        }
        var nFindings = (findings || []).length, nDismissed = (dismissed || []).length;
        if (has) {
            $('findingsTitle').textContent = 'Raw findings and dismissed findings';
            $('findingsSubtitle').textContent = nFindings + ' raw finding' + (nFindings === 1 ? '' : 's') + ', '
                + nDismissed + ' dismissed: every finding as the rules reported it, most severe first';
        } else {
            $('findingsTitle').textContent = 'Findings';
            $('findingsSubtitle').textContent = 'most severe first; fix earlier levels first (code, numerical, '
                + 'optimization)';
        }
        renderDismissed(has ? dismissed : null);
        if (!has) { return; }
        var loud = 0, quiet = 0;
        incidents.forEach(function (i) {
            if (i.loud) {
                cards.appendChild(incidentCard(i));
                loud++;
                return;
            }
            var li = el('li', null, 'd4d-note');
            li.setAttribute('data-incident-id', String(i.id));
            li.setAttribute('data-symptom', i.symptom);
            li.appendChild(el('span', 'note #' + i.id + ' ' + i.symptom + ': ', 'd4d-muted'));
            li.appendChild(el('span', i.message));
            if (i.fix && i.fix.length > 0) {
                li.appendChild(el('span', ' \u2014 fix: ', 'd4d-muted'));
                li.appendChild(el('code', i.fix[0], 'd4d-code'));
            }
            notes.appendChild(li);
            quiet++;
        });
        show('incidentNotes', quiet > 0);
        show('incidentsEmpty', loud === 0 && quiet === 0);
    }

    function renderDismissed(dismissed) {
        var has = dismissed && dismissed.length > 0;
        show('dismissedBox', has);
        var body = $('dismissedTable').querySelector('tbody');
        body.textContent = '';
        if (!has) { return; }
        dismissed.forEach(function (d) {
            var tr = document.createElement('tr');
            tr.appendChild(el('td', d.severity, 'd4d-sev-' + d.severity.replace(/[^A-Z]/g, '')));
            tr.appendChild(el('td', d.symptom));
            tr.appendChild(el('td', d.level));
            tr.appendChild(el('td', d.layer === null || d.layer === undefined ? '(network)'
                : d.layer + (d.parameter ? ' / ' + d.parameter : ''), 'd4d-layer'));
            tr.appendChild(el('td', d.firstIteration));
            tr.appendChild(el('td', d.message));
            tr.appendChild(el('td', d.reason));
            body.appendChild(tr);
        });
    }

    function renderFindings(findings) {
        var body = $('findingsTable').querySelector('tbody');
        body.textContent = '';
        (findings || []).forEach(function (f) {
            var tr = document.createElement('tr');
            tr.appendChild(el('td', f.severity, 'd4d-sev-' + f.severity));
            tr.appendChild(el('td', f.symptom));
            tr.appendChild(el('td', f.level));
            tr.appendChild(el('td', f.layer === null || f.layer === undefined ? '(network)'
                : f.layer + (f.parameter ? ' / ' + f.parameter : ''), 'd4d-layer'));
            tr.appendChild(el('td', f.firstIteration));
            tr.appendChild(el('td', f.message));
            var ev = el('td');
            Object.keys(f.evidence || {}).forEach(function (k) {
                ev.appendChild(el('div', k + ' = ' + fmt(f.evidence[k])));
            });
            tr.appendChild(ev);
            // The first fix in full; the others behind a click, so the table stays compact.
            var fixes = el('td');
            var all = f.suggestions || [];
            if (all.length > 0) {
                fixes.appendChild(el('code', all[0], 'd4d-code'));
            }
            if (all.length > 1) {
                var more = el('details');
                more.appendChild(el('summary', (all.length - 1) + ' more fix' + (all.length > 2 ? 'es' : '')));
                var ul = el('ul');
                all.slice(1).forEach(function (s) {
                    var li = el('li');
                    li.appendChild(el('code', s, 'd4d-code'));
                    ul.appendChild(li);
                });
                more.appendChild(ul);
                fixes.appendChild(more);
            }
            tr.appendChild(fixes);
            body.appendChild(tr);
        });
        show('findingsEmpty', !findings || findings.length === 0);
        show('findingsTable', findings && findings.length > 0);
    }

    function replaceChart(name, canvasId, config) {
        if (state.charts[name]) { state.charts[name].destroy(); }
        config.options = config.options || {};
        config.options.animation = false;
        config.options.maintainAspectRatio = false;
        config.options.responsive = true;
        state.charts[name] = new Chart($(canvasId), config);
    }

    var LOG_MIN = -8, LOG_MAX = 3;

    /** Color of log10(norm): blue (vanishing) through green to red (exploding); black for NaN/Inf. */
    function heatColor(v) {
        if (typeof v === 'string') { return 'rgb(0,0,0)'; }
        if (!finite(v)) { return 'rgba(0,0,0,0)'; }
        var l = v <= 0 ? LOG_MIN : Math.log10(v);
        var t = Math.max(0, Math.min(1, (l - LOG_MIN) / (LOG_MAX - LOG_MIN)));
        var hue = 240 - 240 * t;
        return 'hsl(' + hue.toFixed(0) + ',85%,50%)';
    }

    function renderGradients(g) {
        var has = g && g.iterations && g.iterations.length > 0 && g.layers.length > 0;
        show('gradientBox', has);
        show('ratioBox', has);
        if (!has) { return; }
        var xs = g.iterations.map(String);
        var points = [];
        g.layers.forEach(function (layer, li) {
            g.gradientNorm[li].forEach(function (v, ti) {
                if (v !== null) { points.push({x: xs[ti], y: layer, v: v}); }
            });
        });
        var nx = xs.length, ny = g.layers.length;
        replaceChart('gradientHeatmap', 'gradientHeatmap', {
            type: 'matrix',
            data: {datasets: [{
                label: 'gradient norm',
                data: points,
                backgroundColor: function (c) { return c.raw ? heatColor(c.raw.v) : 'transparent'; },
                borderWidth: 0,
                width: function (c) { var a = c.chart.chartArea; return a ? Math.max(1, a.width / nx) : 4; },
                height: function (c) { var a = c.chart.chartArea; return a ? Math.max(1, a.height / ny - 1) : 4; }
            }]},
            options: {
                plugins: {legend: {display: false}, tooltip: {callbacks: {
                    title: function (items) { var r = items[0].raw; return r.y + ' @ iteration ' + r.x; },
                    label: function (item) { return '|g| = ' + fmt(item.raw.v); }
                }}},
                scales: {
                    x: {type: 'category', labels: xs, offset: true, grid: {display: false},
                        title: {display: true, text: 'iteration'}, ticks: {maxTicksLimit: 12}},
                    y: {type: 'category', labels: g.layers, offset: true, reverse: false, grid: {display: false}}
                }
            }
        });
        var legend = $('gradientLegend');
        legend.textContent = 'log10 |g|: ';
        [-8, -6, -4, -2, 0, 2].forEach(function (l) {
            var sw = el('span', null, 'd4d-swatch');
            sw.style.background = heatColor(Math.pow(10, l));
            legend.appendChild(sw);
            legend.appendChild(el('span', '1e' + l));
        });
        var nan = el('span', null, 'd4d-swatch');
        nan.style.background = 'black';
        legend.appendChild(nan);
        legend.appendChild(el('span', 'NaN/Inf'));
        legend.appendChild(el('span', ' (' + g.snapshots + ' snapshots' + (g.snapshots > nx ? ', ' + nx + ' shown' : '')
            + ')'));

        var palette = ['#20a8d8', '#f86c6b', '#4dbd74', '#ffc107', '#6f42c1', '#17a2b8', '#e83e8c', '#73818f'];
        var datasets = g.layers.map(function (layer, li) {
            return {label: layer, borderColor: palette[li % palette.length], backgroundColor: palette[li % palette.length],
                pointRadius: g.iterations.length > 60 ? 0 : 2, borderWidth: 1.5, spanGaps: false,
                data: g.updateRatio[li].map(function (v, ti) {
                    return {x: g.iterations[ti], y: finite(v) && v > 0 ? v : null};
                })};
        });
        datasets.push({label: 'guide 1e-3', borderColor: '#555', borderDash: [6, 4], pointRadius: 0, borderWidth: 1,
            data: [{x: g.iterations[0], y: 1e-3}, {x: g.iterations[g.iterations.length - 1], y: 1e-3}]});
        replaceChart('updateRatio', 'updateRatioChart', {
            type: 'line', data: {datasets: datasets},
            options: {parsing: true, scales: {
                x: {type: 'linear', title: {display: true, text: 'iteration'}},
                y: {type: 'logarithmic', title: {display: true, text: '|update| / |param|'}}
            }}
        });
    }

    function renderUnits(a) {
        var has = a && a.layers && a.layers.length > 0;
        show('unitBox', has);
        if (!has) { return; }
        $('unitIteration').textContent = 'iteration ' + a.iteration + ' (epoch ' + a.epoch + ')';
        replaceChart('unitHealth', 'unitHealthChart', {
            type: 'bar',
            data: {
                labels: a.layers.map(function (l) { return l.layer; }),
                datasets: [
                    {label: 'dead units %', backgroundColor: '#73818f',
                        data: a.layers.map(function (l) { return finite(l.deadFraction) ? 100 * l.deadFraction : null; })},
                    {label: 'saturated units %', backgroundColor: '#f86c6b',
                        data: a.layers.map(function (l) {
                            return l.saturationApplies && finite(l.saturatedFraction) ? 100 * l.saturatedFraction : null;
                        })}
                ]
            },
            options: {scales: {y: {min: 0, max: 100, title: {display: true, text: '% of units'}}}}
        });
    }

    function renderLoss(loss, fitting) {
        var train = (loss && loss.train) || [], val = (loss && loss.validation) || [];
        var has = train.length > 0 || val.length > 0;
        show('lossBox', has);
        var latest = fitting && fitting.latest;
        var verdict = $('fittingVerdict');
        verdict.textContent = '';
        if (latest) {
            verdict.className = 'd4d-verdict d4d-verdict-' + latest.verdict.replace(/[^A-Z_]/g, '');
            verdict.textContent = 'Epoch ' + latest.epoch + ': ' + latest.verdict + ' - ' + latest.message
                + ' (train ' + fmt(latest.trainLoss) + ', validation ' + fmt(latest.validationLoss)
                + ', gap ' + fmt(latest.gap) + ')';
            show('lossBox', true);
        }
        show('fittingVerdict', !!latest);
        if (!has) {
            if (state.charts.loss) { state.charts.loss.destroy(); delete state.charts.loss; }
            return;
        }
        var notDrawn = train.concat(val).filter(function (p) { return !finite(p.value); }).length;
        $('lossNote').textContent = notDrawn > 0 ? notDrawn + ' NaN/Inf loss value' + (notDrawn > 1 ? 's' : '')
            + ' not drawn (first at iteration ' + train.concat(val).filter(function (p) { return !finite(p.value); })
                .map(function (p) { return p.iteration; }).reduce(function (a, b) { return Math.min(a, b); }) + ')' : '';
        function series(points) {
            return points.map(function (p) { return {x: p.iteration, y: finite(p.value) ? p.value : null}; });
        }
        var datasets = [];
        if (train.length > 0) {
            datasets.push({label: 'train', borderColor: '#20a8d8', backgroundColor: '#20a8d8', pointRadius: 2,
                data: series(train)});
        }
        if (val.length > 0) {
            datasets.push({label: 'validation', borderColor: '#f86c6b', backgroundColor: '#f86c6b', pointRadius: 2,
                data: series(val)});
        }
        replaceChart('loss', 'lossChart', {
            type: 'line', data: {datasets: datasets},
            options: {scales: {x: {type: 'linear', title: {display: true, text: 'iteration'}},
                y: {title: {display: true, text: 'loss'}}}}
        });
    }

    function renderChecklist(items) {
        var has = items && items.length > 0;
        show('checklistBox', has);
        var body = $('checklistTable').querySelector('tbody');
        body.textContent = '';
        if (!has) { return; }
        items.forEach(function (c) {
            var tr = document.createElement('tr');
            tr.appendChild(el('td', c.status, 'd4d-st-' + c.status));
            tr.appendChild(el('td', c.id));
            tr.appendChild(el('td', c.level));
            tr.appendChild(el('td', c.message));
            var ev = el('td');
            Object.keys(c.evidence || {}).forEach(function (k) {
                ev.appendChild(el('div', k + ' = ' + fmt(c.evidence[k])));
            });
            tr.appendChild(ev);
            body.appendChild(tr);
        });
    }

    function renderRecorded(recorded) {
        show('recordedBox', !!recorded);
        var body = $('recordedTable').querySelector('tbody');
        body.textContent = '';
        var needs = $('recordedNeeds');
        needs.textContent = '';
        if (!recorded) { return; }
        $('recordedSource').textContent = recorded.source + ': ' + recorded.reports + ' reports, one every '
            + recorded.reportingFrequency + ' iterations, up to iteration ' + recorded.lastIteration + '.';
        (recorded.checks || []).forEach(function (c) {
            var tr = document.createElement('tr');
            tr.appendChild(el('td', c.name));
            tr.appendChild(el('td', c.ran ? 'yes' : 'no'));
            tr.appendChild(el('td', c.detail));
            body.appendChild(tr);
        });
        (recorded.needsDl4jDebug || []).forEach(function (n) { needs.appendChild(el('li', n)); });
    }

    function render(view) {
        renderRecorded(view.recordedByStatsListener);
        renderNonFinite(view.nonFinite);
        renderIncidents(view.incidents, view.dismissed, view.findings);
        renderFindings(view.findings);
        renderGradients(view.gradients);
        renderUnits(view.activations);
        renderLoss(view.loss, view.fitting);
        renderChecklist(view.checklist);
        state.renderCount++;
        document.body.setAttribute('data-render-count', String(state.renderCount));
    }

    // ---- loop

    function poll() {
        var url = API + '/sessions/' + encodeURIComponent(state.session)
            + (state.worker ? '?worker=' + encodeURIComponent(state.worker) : '');
        return getJson(url).then(function (view) {
            state.error = null;
            var when = view.lastTimestamp ? new Date(view.lastTimestamp).toLocaleTimeString() : 'never';
            status('Session ' + view.sessionId + ', worker ' + view.workerId + '. Last record: ' + when
                + '. Refreshes every ' + (POLL_MS / 1000) + ' s.');
            if (view.lastTimestamp !== state.lastTimestamp) {
                state.lastTimestamp = view.lastTimestamp;
                render(view);
            }
        });
    }

    function loop() {
        var step = state.session ? poll() : loadSessions().then(function (s) { return s ? poll() : null; });
        step.catch(function (e) {
            state.error = String(e && e.message ? e.message : e);
            status('Cannot load debug data: ' + state.error);
        }).finally(function () { window.setTimeout(loop, POLL_MS); });
    }

    document.addEventListener('DOMContentLoaded', loop);
})();
