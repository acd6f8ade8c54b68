//! The log view of a job: merged or one host's lines, search, follow-tail, download,
//! and in the browser the live tail over Server-Sent Events.
use leptos::html::Div;
use leptos::prelude::*;

use super::lines::{Log, LogFilter};
use crate::domain::url::encode_component;
use crate::model::job::{Chunk, JobEvent, JobHost, JobState};

/// How far from the bottom (in pixels) still counts as "at the bottom".
const BOTTOM_SLACK: i32 = 8;

#[component]
pub fn JobLog(
    id: i64,
    log: RwSignal<Log>,
    hosts: RwSignal<Vec<JobHost>>,
    /// The host whose lines alone are shown (`?host=`), else all.
    tab: Option<String>,
    /// The search text the page was loaded with (`?q=`).
    needle: String,
    running: Signal<bool>,
) -> impl IntoView {
    let needle = RwSignal::new(needle);
    let single = tab.is_some();
    let filter = {
        let tab = tab.clone();
        Memo::new(move |_| LogFilter {
            host: tab.clone(),
            needle: needle.get(),
        })
    };
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    // Follow the tail of a running job until the reader scrolls up.
    let follow = RwSignal::new(running.get_untracked());
    let scroller = NodeRef::<Div>::new();
    let to_end = move || {
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    Effect::new(move |_| {
        log.track();
        filter.track();
        if follow.get_untracked() {
            request_animation_frame(to_end);
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = scroller.get_untracked() {
            let at_bottom = el.scroll_top() + el.client_height() >= el.scroll_height() - BOTTOM_SLACK;
            if follow.get_untracked() != at_bottom {
                follow.set(at_bottom);
            }
        }
    };
    let tab_href = move |host: Option<&str>| {
        let mut params = Vec::new();
        if let Some(h) = host {
            params.push(format!("host={}", encode_component(h)));
        }
        needle.with(|n| {
            if !n.is_empty() {
                params.push(format!("q={}", encode_component(n)));
            }
        });
        match params.is_empty() {
            true => format!("/jobs/{id}"),
            false => format!("/jobs/{id}?{}", params.join("&")),
        }
    };
    let current_tab = tab.clone();
    let tabs = move || {
        let current = current_tab.clone();
        let all = view! {
            <a href=tab_href(None) aria-current=current.is_none().then_some("page")>"All hosts"</a>
        };
        let each = hosts.with(|hs| {
            hs.iter()
                .map(|h| {
                    let here = current.as_deref() == Some(h.host.as_str());
                    view! {
                        <a href=tab_href(Some(&h.host)) aria-current=here.then_some("page") data-host=h.host.clone()>
                            {h.host.clone()}
                            <span class=format!("state-dot {}", h.state.as_str()) title=h.state.label()></span>
                            <span class="visually-hidden">{format!("({})", h.state.label())}</span>
                        </a>
                    }
                })
                .collect_view()
        });
        view! { {all} {each} }
    };
    view! {
        <section class="job-log card wide" aria-label="Output">
            <div class="log-toolbar">
                <nav class="log-tabs" aria-label="Hosts">{tabs}</nav>
                // A plain GET form: without JavaScript the server filters; with it, typing does.
                <form method="get" action=format!("/jobs/{id}") class="log-search" role="search"
                    on:submit=|ev| ev.prevent_default()>
                    {tab.map(|h| view! { <input type="hidden" name="host" value=h/> })}
                    <label for="log-search" class="visually-hidden">"Search the log"</label>
                    <input id="log-search" type="search" name="q" placeholder="Search the log"
                        value=needle.get_untracked() prop:value=needle
                        on:input=move |ev| needle.set(event_target_value(&ev))/>
                </form>
                <span class="log-count">
                    {move || log.with(|l| format!("{} line{}", l.len(), if l.len() == 1 { "" } else { "s" }))}
                </span>
                {move || (running.get() && !hydrated.get()).then(|| view! { <a href="">"Refresh"</a> })}
                <a class="button" href=format!("/jobs/{id}/log.txt") download="" rel="external">"Download"</a>
            </div>
            <div class="log" class:single=single node_ref=scroller on:scroll=on_scroll
                tabindex="0" aria-label="Log lines">
                <For
                    each=move || {
                        let f = filter.get();
                        log.with(|l| l.blocks()).into_iter().map(|(i, v)| (i, v, f.clone())).collect::<Vec<_>>()
                    }
                    key=|block| block.clone()
                    children=move |(i, _, f)| {
                        let html = log.with_untracked(|l| l.block_html(i, &f));
                        view! { <div class="log-block" inner_html=html></div> }
                    }
                />
                {move || log.with(Log::is_empty).then(|| view! {
                    <p class="log-empty">{if running.get() { "No output yet." } else { "No output." }}</p>
                })}
            </div>
            {move || (!follow.get() && running.get()).then(|| view! {
                <button type="button" class="follow" on:click=move |_| { follow.set(true); to_end(); }>
                    "↓ Follow"
                </button>
            })}
        </section>
    }
}

/// A job's log, hosts and state, kept current from its event stream while it runs.
#[derive(Clone, Copy)]
pub struct LiveJob {
    pub log: RwSignal<Log>,
    pub hosts: RwSignal<Vec<JobHost>>,
    pub state: RwSignal<JobState>,
}

impl LiveJob {
    /// Starts from what the page was rendered with; in the browser, follows the rest.
    pub fn follow(id: i64, output: &[Chunk], hosts: Vec<JobHost>, state: JobState) -> Self {
        let live = Self {
            log: RwSignal::new(Log::new(output)),
            hosts: RwSignal::new(hosts),
            state: RwSignal::new(state),
        };
        let after = live.log.with_untracked(|l| l.last_seq);
        follow_events(id, after, state == JobState::Running, move |event| {
            live.apply(event)
        });
        live
    }

    pub fn running(self) -> Signal<bool> {
        Signal::derive(move || self.state.get() == JobState::Running)
    }

    fn apply(self, event: JobEvent) {
        match event {
            JobEvent::Output(chunk) => {
                self.log.try_maybe_update(|l| (l.push(&chunk), ()));
            }
            JobEvent::Host(host) => {
                self.hosts
                    .try_update(|hs| match hs.iter_mut().find(|h| h.host == host.host) {
                        Some(h) => *h = host,
                        None => hs.push(host),
                    });
            }
            JobEvent::Finished(end) => {
                self.state.try_set(end);
            }
        }
    }
}

/// In the browser, opens the job's event stream once if the job is running, asking only
/// for output after `after`; every event goes to `on_event`. The stream closes when the
/// job finishes or the page goes away.
fn follow_events(id: i64, after: i64, running: bool, on_event: impl Fn(JobEvent) + 'static) {
    let mut on_event = Some(on_event);
    Effect::new(move |opened: Option<Option<live::Live>>| {
        if let Some(opened) = opened {
            return opened;
        }
        let on_event = on_event.take().filter(|_| running)?;
        live::open(&format!("/jobs/{id}/events?after={after}"), on_event)
    });
}

#[cfg(feature = "hydrate")]
mod live {
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use web_sys::{EventSource, MessageEvent};

    use crate::model::job::{Chunk, JobEvent, JobHost, JobState};

    /// An open stream; dropping it closes it.
    pub struct Live {
        source: EventSource,
        _handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    }

    impl Drop for Live {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    pub fn open(url: &str, on_event: impl Fn(JobEvent) + 'static) -> Option<Live> {
        let source = EventSource::new(url).ok()?;
        let on_event = Rc::new(on_event);
        let mut handlers = Vec::new();
        for name in ["output", "host", "finished"] {
            let on_event = Rc::clone(&on_event);
            let stream = source.clone();
            let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let Some(data) = ev.data().as_string() else {
                    return;
                };
                let event = match name {
                    "output" => serde_json::from_str::<Chunk>(&data).map(JobEvent::Output),
                    "host" => serde_json::from_str::<JobHost>(&data).map(JobEvent::Host),
                    _ => serde_json::from_str::<JobState>(&data).map(JobEvent::Finished),
                };
                match event {
                    Ok(event) => {
                        if matches!(event, JobEvent::Finished(_)) {
                            stream.close();
                        }
                        on_event(event);
                    }
                    Err(e) => leptos::logging::warn!("unreadable {name} event: {e}"),
                }
            });
            source
                .add_event_listener_with_callback(name, handler.as_ref().unchecked_ref())
                .ok()?;
            handlers.push(handler);
        }
        // The page is about to be swapped for another (nav.js): stop listening.
        let leaving = source.clone();
        crate::components::nav::on_leave(move || leaving.close());
        Some(Live {
            source,
            _handlers: handlers,
        })
    }
}

#[cfg(not(feature = "hydrate"))]
mod live {
    use crate::model::job::JobEvent;

    /// Streams exist only in the browser.
    pub struct Live;

    pub fn open(_url: &str, _on_event: impl Fn(JobEvent) + 'static) -> Option<Live> {
        None
    }
}
