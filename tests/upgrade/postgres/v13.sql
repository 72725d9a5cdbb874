-- xietong postgres database at schema version 13: migrations 1..13 applied to an empty
-- database and dumped, then the sample rows. Made by scripts/make-upgrade-dumps; do not edit.
--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: referral_search_text(text, text, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.referral_search_text(facts text, place text, party_name text, party_id_number text, number text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((((((((facts || ''::text) || place) || ''::text) || party_name) || ''::text) || party_id_number) || ''::text) || COALESCE(number, ''::text));


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: api_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_tokens (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint,
    last_used_at bigint
);


--
-- Name: api_tokens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_tokens_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_tokens_id_seq OWNED BY public.api_tokens.id;


--
-- Name: approval_reads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.approval_reads (
    user_id bigint NOT NULL,
    approval_id bigint NOT NULL,
    read_at bigint NOT NULL
);


--
-- Name: approvals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.approvals (
    id bigint NOT NULL,
    holder text NOT NULL,
    credit_code text NOT NULL,
    decision_number text NOT NULL,
    category text NOT NULL,
    content text NOT NULL,
    decision_date text NOT NULL,
    valid_from text NOT NULL,
    valid_to text NOT NULL,
    authority text NOT NULL,
    address text NOT NULL,
    township_org_id bigint,
    recorded_by_org_id bigint NOT NULL,
    created_by bigint NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: approvals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.approvals_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: approvals_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.approvals_id_seq OWNED BY public.approvals.id;


--
-- Name: assessment_results; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessment_results (
    id bigint NOT NULL,
    period text NOT NULL,
    period_from text NOT NULL,
    period_to text NOT NULL,
    scheme_id bigint NOT NULL,
    data text NOT NULL,
    published_at bigint NOT NULL,
    published_by bigint NOT NULL
);


--
-- Name: assessment_results_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.assessment_results_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessment_results_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.assessment_results_id_seq OWNED BY public.assessment_results.id;


--
-- Name: assessment_schemes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessment_schemes (
    id bigint NOT NULL,
    year integer NOT NULL,
    version integer NOT NULL,
    data text NOT NULL,
    created_at bigint NOT NULL,
    created_by bigint NOT NULL
);


--
-- Name: assessment_schemes_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.assessment_schemes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessment_schemes_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.assessment_schemes_id_seq OWNED BY public.assessment_schemes.id;


--
-- Name: audit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit (
    seq bigint NOT NULL,
    at bigint NOT NULL,
    actor_user_id bigint,
    actor_org_id bigint,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    summary text NOT NULL,
    detail text NOT NULL,
    detail_digest text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);


--
-- Name: audit_checkpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_checkpoints (
    seq bigint NOT NULL,
    hash text NOT NULL,
    at bigint NOT NULL,
    public_key text NOT NULL,
    signature text NOT NULL
);


--
-- Name: calendar_years; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.calendar_years (
    year integer NOT NULL,
    json text NOT NULL,
    loaded_at bigint NOT NULL,
    loaded_by bigint
);


--
-- Name: collaboration_documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collaboration_documents (
    collaboration_id bigint NOT NULL,
    document_id bigint NOT NULL
);


--
-- Name: collaboration_extensions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collaboration_extensions (
    collaboration_id bigint NOT NULL,
    pos integer NOT NULL,
    reason text NOT NULL,
    old_due bigint NOT NULL,
    new_due bigint NOT NULL,
    requested_by bigint NOT NULL,
    approved_by bigint NOT NULL,
    at bigint NOT NULL
);


--
-- Name: collaboration_materials; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collaboration_materials (
    collaboration_id bigint NOT NULL,
    pos integer NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    file_id text,
    file_name text NOT NULL,
    file_size bigint NOT NULL,
    file_content_type text NOT NULL
);


--
-- Name: collaboration_rounds; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collaboration_rounds (
    collaboration_id bigint NOT NULL,
    n integer NOT NULL,
    questions text NOT NULL,
    asked_at bigint NOT NULL,
    duty_id bigint,
    has_answer boolean NOT NULL,
    conclusion text NOT NULL,
    answer_text text NOT NULL,
    file_id text,
    file_name text NOT NULL,
    file_size bigint NOT NULL,
    file_content_type text NOT NULL,
    drafted_by bigint,
    drafted_at bigint,
    answered_at bigint,
    approved_by bigint,
    document_id bigint
);


--
-- Name: collaborations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.collaborations (
    id bigint NOT NULL,
    number text,
    state integer NOT NULL,
    kind integer NOT NULL,
    from_org_id bigint NOT NULL,
    to_org_id bigint NOT NULL,
    title text NOT NULL,
    questions text NOT NULL,
    case_ref text NOT NULL,
    referral_id bigint,
    urgent boolean NOT NULL,
    evidence_at_risk boolean NOT NULL,
    complex boolean NOT NULL,
    dispatch_staff text,
    dispatch_sent_at bigint,
    dispatch_arrived_at bigint,
    dispatch_note text NOT NULL,
    dispatch_duty_id bigint,
    created_by bigint NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    submitted_at bigint,
    sent_at bigint,
    received_at bigint,
    answered_at bigint,
    closed_at bigint,
    withdraw_reason text NOT NULL,
    return_reason text NOT NULL
);


--
-- Name: collaborations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.collaborations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: collaborations_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.collaborations_id_seq OWNED BY public.collaborations.id;


--
-- Name: coord_item_documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coord_item_documents (
    document_id bigint NOT NULL,
    item_id bigint NOT NULL
);


--
-- Name: coord_item_files; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coord_item_files (
    item_id bigint NOT NULL,
    file_id text NOT NULL
);


--
-- Name: coord_item_orgs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coord_item_orgs (
    item_id bigint NOT NULL,
    org_id bigint NOT NULL
);


--
-- Name: coord_items; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coord_items (
    id bigint NOT NULL,
    type bigint NOT NULL,
    state bigint NOT NULL,
    number text,
    from_org_id bigint NOT NULL,
    to_org_id bigint,
    kind text NOT NULL,
    title text NOT NULL,
    referral_id bigint,
    data text NOT NULL,
    created_by bigint NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: coord_items_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.coord_items_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: coord_items_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.coord_items_id_seq OWNED BY public.coord_items.id;


--
-- Name: coord_messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.coord_messages (
    id bigint NOT NULL,
    item_id bigint NOT NULL,
    at bigint NOT NULL,
    user_id bigint NOT NULL,
    org_id bigint NOT NULL,
    text text NOT NULL
);


--
-- Name: coord_messages_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.coord_messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: coord_messages_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.coord_messages_id_seq OWNED BY public.coord_messages.id;


--
-- Name: deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.deliveries (
    id bigint NOT NULL,
    notification_id bigint NOT NULL,
    channel integer NOT NULL,
    address text NOT NULL,
    state integer NOT NULL,
    attempts integer NOT NULL,
    next_at bigint NOT NULL,
    lease_until bigint,
    lease_owner text,
    last_error text NOT NULL,
    created_at bigint NOT NULL,
    sent_at bigint
);


--
-- Name: deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: deliveries_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.deliveries_id_seq OWNED BY public.deliveries.id;


--
-- Name: doc_counters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.doc_counters (
    org_id bigint NOT NULL,
    year integer NOT NULL,
    kind integer NOT NULL,
    next bigint NOT NULL
);


--
-- Name: documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.documents (
    id bigint NOT NULL,
    kind integer NOT NULL,
    number text NOT NULL,
    org_id bigint NOT NULL,
    year integer NOT NULL,
    serial bigint NOT NULL,
    referral_id bigint,
    title text NOT NULL,
    snapshot text NOT NULL,
    created_at bigint NOT NULL,
    created_by bigint
);


--
-- Name: documents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.documents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: documents_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.documents_id_seq OWNED BY public.documents.id;


--
-- Name: duties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.duties (
    id bigint NOT NULL,
    kind text NOT NULL,
    rule text NOT NULL,
    owner_org_id bigint NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    title text NOT NULL,
    trigger_at bigint NOT NULL,
    unit integer NOT NULL,
    period bigint NOT NULL,
    due_at bigint NOT NULL,
    yellow_at bigint NOT NULL,
    calendar_version text NOT NULL,
    provisional boolean NOT NULL,
    state integer NOT NULL,
    met_at bigint,
    on_time boolean,
    late_working_days integer,
    state_reason text NOT NULL,
    notified_level integer NOT NULL,
    created_at bigint NOT NULL,
    created_by bigint
);


--
-- Name: duties_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.duties_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: duties_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.duties_id_seq OWNED BY public.duties.id;


--
-- Name: duty_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.duty_events (
    id bigint NOT NULL,
    duty_id bigint NOT NULL,
    at bigint NOT NULL,
    actor_user_id bigint,
    kind text NOT NULL,
    reason text NOT NULL,
    old_due bigint,
    new_due bigint
);


--
-- Name: duty_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.duty_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: duty_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.duty_events_id_seq OWNED BY public.duty_events.id;


--
-- Name: escalations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.escalations (
    duty_id bigint NOT NULL,
    from_region text NOT NULL,
    to_org_id bigint NOT NULL,
    to_region text NOT NULL,
    at bigint NOT NULL
);


--
-- Name: file_refs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.file_refs (
    id bigint NOT NULL,
    sha256 text NOT NULL,
    org_id bigint NOT NULL,
    name text NOT NULL,
    uploaded_by bigint NOT NULL,
    uploaded_at bigint NOT NULL
);


--
-- Name: file_refs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.file_refs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: file_refs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.file_refs_id_seq OWNED BY public.file_refs.id;


--
-- Name: files; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.files (
    sha256 text NOT NULL,
    size bigint NOT NULL,
    content_type text NOT NULL,
    created_at bigint NOT NULL,
    bytes bytea NOT NULL
);


--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    user_id bigint NOT NULL,
    key text NOT NULL,
    method text NOT NULL,
    route text NOT NULL,
    request_hash text NOT NULL,
    status integer NOT NULL,
    content_type text NOT NULL,
    body bytea NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: job_state; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.job_state (
    key text NOT NULL,
    value text NOT NULL
);


--
-- Name: matter_delegations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.matter_delegations (
    matter_id bigint NOT NULL,
    township_org_id bigint NOT NULL,
    from_day bigint NOT NULL,
    to_day bigint,
    decision_number text,
    decision_document_id bigint,
    withdrawal_decision_number text,
    withdrawal_decision_document_id bigint
);


--
-- Name: matter_owners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.matter_owners (
    matter_id bigint NOT NULL,
    from_day bigint NOT NULL,
    owner_org_id bigint NOT NULL,
    basis text NOT NULL,
    decision_number text,
    decision_document_id bigint
);


--
-- Name: matters; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.matters (
    id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    legal_basis text NOT NULL,
    owner_org_id bigint NOT NULL,
    statutory_referral_days integer
);


--
-- Name: matters_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.matters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: matters_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.matters_id_seq OWNED BY public.matters.id;


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    object_type text NOT NULL,
    object_id text NOT NULL,
    dedupe_key text,
    created_at bigint NOT NULL,
    read_at bigint
);


--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notifications_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notifications_id_seq OWNED BY public.notifications.id;


--
-- Name: orgs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.orgs (
    id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    short_name text NOT NULL,
    kind integer NOT NULL,
    parent_id bigint,
    active boolean NOT NULL,
    created_at bigint NOT NULL,
    doc_prefix text DEFAULT ''::text NOT NULL,
    region_code text
);


--
-- Name: orgs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.orgs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: orgs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.orgs_id_seq OWNED BY public.orgs.id;


--
-- Name: referral_evidence; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referral_evidence (
    referral_id bigint NOT NULL,
    pos integer NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    file_id text,
    file_name text NOT NULL,
    file_size bigint NOT NULL,
    file_content_type text NOT NULL
);


--
-- Name: referrals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referrals (
    id bigint NOT NULL,
    number text,
    state integer NOT NULL,
    from_org_id bigint NOT NULL,
    to_org_id bigint NOT NULL,
    matter_id bigint NOT NULL,
    matter_code text NOT NULL,
    matter_owner_org_id bigint NOT NULL,
    township_org_id bigint NOT NULL,
    place text NOT NULL,
    discovered_at bigint NOT NULL,
    facts text NOT NULL,
    party_name text NOT NULL,
    party_id_type text NOT NULL,
    party_id_number text NOT NULL,
    party_address text NOT NULL,
    party_phone text NOT NULL,
    legal_basis text NOT NULL,
    urgent boolean NOT NULL,
    ongoing boolean NOT NULL,
    dissuasion_at bigint,
    dissuasion_note text NOT NULL,
    facts_clear boolean NOT NULL,
    evidence_complete boolean NOT NULL,
    procedure_lawful boolean NOT NULL,
    formalities_complete boolean NOT NULL,
    unit_id bigint,
    unit_legal_basis text NOT NULL,
    jurisdiction_override_reason text NOT NULL,
    flagged_for_coordinator boolean NOT NULL,
    created_by bigint NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    submitted_at bigint,
    sent_at bigint,
    received_at bigint,
    accepted_at bigint,
    closed_at bigint,
    accept_note text NOT NULL,
    decline_reason text NOT NULL,
    return_reason text NOT NULL,
    result text NOT NULL,
    coord_requested_at bigint,
    coord_reason text NOT NULL,
    coord_decision text NOT NULL,
    coord_decided_at bigint,
    coord_decided_by bigint,
    coord_decision_reason text NOT NULL
);


--
-- Name: referrals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.referrals_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: referrals_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.referrals_id_seq OWNED BY public.referrals.id;


--
-- Name: regions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.regions (
    code text NOT NULL,
    name text NOT NULL,
    level integer NOT NULL,
    parent_code text
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    applied_at bigint NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    token_hash text NOT NULL,
    user_id bigint NOT NULL,
    csrf_token text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    last_seen_at bigint NOT NULL
);


--
-- Name: user_contacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.user_contacts (
    user_id bigint NOT NULL,
    email text NOT NULL,
    mobile text NOT NULL,
    urgent_channels integer NOT NULL,
    routine_channels integer NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id bigint NOT NULL,
    username text NOT NULL,
    display_name text NOT NULL,
    org_id bigint NOT NULL,
    unit_id bigint,
    roles bigint NOT NULL,
    password_hash text NOT NULL,
    disabled boolean NOT NULL,
    failed_logins integer NOT NULL,
    locked_until bigint,
    created_at bigint NOT NULL,
    region_code text
);


--
-- Name: users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.users_id_seq OWNED BY public.users.id;


--
-- Name: api_tokens id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens ALTER COLUMN id SET DEFAULT nextval('public.api_tokens_id_seq'::regclass);


--
-- Name: approvals id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals ALTER COLUMN id SET DEFAULT nextval('public.approvals_id_seq'::regclass);


--
-- Name: assessment_results id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_results ALTER COLUMN id SET DEFAULT nextval('public.assessment_results_id_seq'::regclass);


--
-- Name: assessment_schemes id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_schemes ALTER COLUMN id SET DEFAULT nextval('public.assessment_schemes_id_seq'::regclass);


--
-- Name: collaborations id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations ALTER COLUMN id SET DEFAULT nextval('public.collaborations_id_seq'::regclass);


--
-- Name: coord_items id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_items ALTER COLUMN id SET DEFAULT nextval('public.coord_items_id_seq'::regclass);


--
-- Name: coord_messages id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_messages ALTER COLUMN id SET DEFAULT nextval('public.coord_messages_id_seq'::regclass);


--
-- Name: deliveries id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries ALTER COLUMN id SET DEFAULT nextval('public.deliveries_id_seq'::regclass);


--
-- Name: documents id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents ALTER COLUMN id SET DEFAULT nextval('public.documents_id_seq'::regclass);


--
-- Name: duties id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duties ALTER COLUMN id SET DEFAULT nextval('public.duties_id_seq'::regclass);


--
-- Name: duty_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duty_events ALTER COLUMN id SET DEFAULT nextval('public.duty_events_id_seq'::regclass);


--
-- Name: file_refs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_refs ALTER COLUMN id SET DEFAULT nextval('public.file_refs_id_seq'::regclass);


--
-- Name: matters id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matters ALTER COLUMN id SET DEFAULT nextval('public.matters_id_seq'::regclass);


--
-- Name: notifications id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications ALTER COLUMN id SET DEFAULT nextval('public.notifications_id_seq'::regclass);


--
-- Name: orgs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs ALTER COLUMN id SET DEFAULT nextval('public.orgs_id_seq'::regclass);


--
-- Name: referrals id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals ALTER COLUMN id SET DEFAULT nextval('public.referrals_id_seq'::regclass);


--
-- Name: users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users ALTER COLUMN id SET DEFAULT nextval('public.users_id_seq'::regclass);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: approval_reads approval_reads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approval_reads
    ADD CONSTRAINT approval_reads_pkey PRIMARY KEY (user_id, approval_id);


--
-- Name: approvals approvals_decision_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_decision_number_key UNIQUE (decision_number);


--
-- Name: approvals approvals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_pkey PRIMARY KEY (id);


--
-- Name: assessment_results assessment_results_period_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_results
    ADD CONSTRAINT assessment_results_period_key UNIQUE (period);


--
-- Name: assessment_results assessment_results_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_results
    ADD CONSTRAINT assessment_results_pkey PRIMARY KEY (id);


--
-- Name: assessment_schemes assessment_schemes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_schemes
    ADD CONSTRAINT assessment_schemes_pkey PRIMARY KEY (id);


--
-- Name: assessment_schemes assessment_schemes_year_version_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_schemes
    ADD CONSTRAINT assessment_schemes_year_version_key UNIQUE (year, version);


--
-- Name: audit_checkpoints audit_checkpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_checkpoints
    ADD CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (seq);


--
-- Name: audit audit_seq_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit
    ADD CONSTRAINT audit_seq_key PRIMARY KEY (seq);


--
-- Name: calendar_years calendar_years_year_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendar_years
    ADD CONSTRAINT calendar_years_year_key PRIMARY KEY (year);


--
-- Name: collaboration_documents collaboration_documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_documents
    ADD CONSTRAINT collaboration_documents_pkey PRIMARY KEY (collaboration_id, document_id);


--
-- Name: collaboration_extensions collaboration_extensions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_extensions
    ADD CONSTRAINT collaboration_extensions_pkey PRIMARY KEY (collaboration_id, pos);


--
-- Name: collaboration_materials collaboration_materials_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_materials
    ADD CONSTRAINT collaboration_materials_pkey PRIMARY KEY (collaboration_id, pos);


--
-- Name: collaboration_rounds collaboration_rounds_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_pkey PRIMARY KEY (collaboration_id, n);


--
-- Name: collaborations collaborations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations
    ADD CONSTRAINT collaborations_pkey PRIMARY KEY (id);


--
-- Name: coord_item_documents coord_item_documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_documents
    ADD CONSTRAINT coord_item_documents_pkey PRIMARY KEY (document_id);


--
-- Name: coord_item_files coord_item_files_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_files
    ADD CONSTRAINT coord_item_files_pkey PRIMARY KEY (file_id, item_id);


--
-- Name: coord_item_orgs coord_item_orgs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_orgs
    ADD CONSTRAINT coord_item_orgs_pkey PRIMARY KEY (org_id, item_id);


--
-- Name: coord_items coord_items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_items
    ADD CONSTRAINT coord_items_pkey PRIMARY KEY (id);


--
-- Name: coord_messages coord_messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_messages
    ADD CONSTRAINT coord_messages_pkey PRIMARY KEY (id);


--
-- Name: deliveries deliveries_notification_id_channel_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_notification_id_channel_key UNIQUE (notification_id, channel);


--
-- Name: deliveries deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_pkey PRIMARY KEY (id);


--
-- Name: doc_counters doc_counters_kind_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doc_counters
    ADD CONSTRAINT doc_counters_kind_key PRIMARY KEY (org_id, year, kind);


--
-- Name: documents documents_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_number_key UNIQUE (org_id, kind, year, serial);


--
-- Name: documents documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_pkey PRIMARY KEY (id);


--
-- Name: duties duties_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duties
    ADD CONSTRAINT duties_pkey PRIMARY KEY (id);


--
-- Name: duty_events duty_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duty_events
    ADD CONSTRAINT duty_events_pkey PRIMARY KEY (id);


--
-- Name: escalations escalations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_pkey PRIMARY KEY (duty_id);


--
-- Name: file_refs file_refs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_refs
    ADD CONSTRAINT file_refs_pkey PRIMARY KEY (id);


--
-- Name: files files_sha256_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.files
    ADD CONSTRAINT files_sha256_key PRIMARY KEY (sha256);


--
-- Name: idempotency_keys idempotency_keys_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_key_key PRIMARY KEY (user_id, key);


--
-- Name: job_state job_state_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job_state
    ADD CONSTRAINT job_state_key_key PRIMARY KEY (key);


--
-- Name: matter_delegations matter_delegations_from_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matter_delegations
    ADD CONSTRAINT matter_delegations_from_key PRIMARY KEY (matter_id, township_org_id, from_day);


--
-- Name: matter_owners matter_owners_from_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matter_owners
    ADD CONSTRAINT matter_owners_from_key PRIMARY KEY (matter_id, from_day);


--
-- Name: matters matters_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matters
    ADD CONSTRAINT matters_code_key UNIQUE (code);


--
-- Name: matters matters_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matters
    ADD CONSTRAINT matters_pkey PRIMARY KEY (id);


--
-- Name: notifications notifications_dedupe_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_dedupe_key_key UNIQUE (user_id, dedupe_key);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: orgs orgs_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_code_key UNIQUE (code);


--
-- Name: orgs orgs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_pkey PRIMARY KEY (id);


--
-- Name: referral_evidence referral_evidence_pos_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_evidence
    ADD CONSTRAINT referral_evidence_pos_key PRIMARY KEY (referral_id, pos);


--
-- Name: referrals referrals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_pkey PRIMARY KEY (id);


--
-- Name: regions regions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_pkey PRIMARY KEY (code);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sessions sessions_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_token_hash_key PRIMARY KEY (token_hash);


--
-- Name: user_contacts user_contacts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_contacts
    ADD CONSTRAINT user_contacts_pkey PRIMARY KEY (user_id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: users users_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);


--
-- Name: api_tokens_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX api_tokens_user ON public.api_tokens USING btree (user_id);


--
-- Name: approvals_by_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX approvals_by_date ON public.approvals USING btree (decision_date DESC, id DESC);


--
-- Name: approvals_by_township; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX approvals_by_township ON public.approvals USING btree (township_org_id);


--
-- Name: audit_actor_org; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_actor_org ON public.audit USING btree (actor_org_id, seq) WHERE (actor_org_id IS NOT NULL);


--
-- Name: audit_object; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_object ON public.audit USING btree (object_type, object_id, seq);


--
-- Name: collaboration_materials_file; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX collaboration_materials_file ON public.collaboration_materials USING btree (file_id) WHERE (file_id IS NOT NULL);


--
-- Name: collaboration_rounds_file; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX collaboration_rounds_file ON public.collaboration_rounds USING btree (file_id) WHERE (file_id IS NOT NULL);


--
-- Name: collaborations_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX collaborations_created ON public.collaborations USING btree (created_at, id);


--
-- Name: collaborations_from; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX collaborations_from ON public.collaborations USING btree (from_org_id, state, created_at);


--
-- Name: collaborations_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX collaborations_state ON public.collaborations USING btree (state, created_at);


--
-- Name: collaborations_to; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX collaborations_to ON public.collaborations USING btree (to_org_id, state, created_at);


--
-- Name: coord_item_documents_item; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_item_documents_item ON public.coord_item_documents USING btree (item_id, document_id);


--
-- Name: coord_item_files_item; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_item_files_item ON public.coord_item_files USING btree (item_id);


--
-- Name: coord_item_orgs_item; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_item_orgs_item ON public.coord_item_orgs USING btree (item_id);


--
-- Name: coord_items_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_items_created ON public.coord_items USING btree (created_at DESC, id DESC);


--
-- Name: coord_items_from; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_items_from ON public.coord_items USING btree (from_org_id, created_at DESC);


--
-- Name: coord_items_type_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_items_type_created ON public.coord_items USING btree (type, created_at DESC, id DESC);


--
-- Name: coord_messages_item; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX coord_messages_item ON public.coord_messages USING btree (item_id, id);


--
-- Name: deliveries_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deliveries_due ON public.deliveries USING btree (next_at, id) WHERE (state = 0);


--
-- Name: deliveries_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX deliveries_state ON public.deliveries USING btree (state, id);


--
-- Name: documents_referral; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX documents_referral ON public.documents USING btree (referral_id, id) WHERE (referral_id IS NOT NULL);


--
-- Name: duties_created_by; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_created_by ON public.duties USING btree (created_by, due_at) WHERE (created_by IS NOT NULL);


--
-- Name: duties_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_due ON public.duties USING btree (due_at, id);


--
-- Name: duties_object; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_object ON public.duties USING btree (object_type, object_id);


--
-- Name: duties_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_owner ON public.duties USING btree (owner_org_id, state, due_at);


--
-- Name: duties_provisional; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_provisional ON public.duties USING btree (id) WHERE (provisional AND (state = ANY (ARRAY[1, 4])));


--
-- Name: duties_red_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_red_due ON public.duties USING btree (due_at, id) WHERE ((state = 1) AND (notified_level < 2));


--
-- Name: duties_yellow_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duties_yellow_due ON public.duties USING btree (yellow_at, id) WHERE ((state = 1) AND (notified_level < 1));


--
-- Name: duty_events_duty; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX duty_events_duty ON public.duty_events USING btree (duty_id, id);


--
-- Name: escalations_to; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX escalations_to ON public.escalations USING btree (to_org_id, at);


--
-- Name: file_refs_sha256; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX file_refs_sha256 ON public.file_refs USING btree (sha256, uploaded_at, id);


--
-- Name: idempotency_keys_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX idempotency_keys_created ON public.idempotency_keys USING btree (created_at);


--
-- Name: matter_delegations_township; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX matter_delegations_township ON public.matter_delegations USING btree (township_org_id, matter_id);


--
-- Name: matters_code_c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX matters_code_c ON public.matters USING btree (code COLLATE "C");


--
-- Name: matters_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX matters_owner ON public.matters USING btree (owner_org_id);


--
-- Name: notifications_unread; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_unread ON public.notifications USING btree (user_id, id) WHERE (read_at IS NULL);


--
-- Name: notifications_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_user ON public.notifications USING btree (user_id, id);


--
-- Name: orgs_kind; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX orgs_kind ON public.orgs USING btree (kind, id);


--
-- Name: orgs_region; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX orgs_region ON public.orgs USING btree (region_code text_pattern_ops) WHERE (region_code IS NOT NULL);


--
-- Name: referral_evidence_file; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referral_evidence_file ON public.referral_evidence USING btree (file_id) WHERE (file_id IS NOT NULL);


--
-- Name: referrals_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_created ON public.referrals USING btree (created_at, id);


--
-- Name: referrals_from; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_from ON public.referrals USING btree (from_org_id, state, created_at);


--
-- Name: referrals_in_sent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_in_sent ON public.referrals USING btree (to_org_id, state, matter_code, created_at, sent_at) WHERE (sent_at IS NOT NULL);


--
-- Name: referrals_matter; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_matter ON public.referrals USING btree (matter_code, created_at);


--
-- Name: referrals_owner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_owner ON public.referrals USING btree (matter_owner_org_id, created_at);


--
-- Name: referrals_sent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_sent ON public.referrals USING btree (sent_at) WHERE (sent_at IS NOT NULL);


--
-- Name: referrals_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_state ON public.referrals USING btree (state, created_at);


--
-- Name: referrals_text; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_text ON public.referrals USING gin (public.referral_search_text(facts, place, party_name, party_id_number, number) public.gin_trgm_ops);


--
-- Name: referrals_to; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_to ON public.referrals USING btree (to_org_id, state, created_at);


--
-- Name: referrals_township; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referrals_township ON public.referrals USING btree (township_org_id, created_at);


--
-- Name: regions_parent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX regions_parent ON public.regions USING btree (parent_code);


--
-- Name: sessions_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_user ON public.sessions USING btree (user_id);


--
-- Name: users_org; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_org ON public.users USING btree (org_id);


--
-- Name: users_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_unit ON public.users USING btree (unit_id) WHERE (unit_id IS NOT NULL);


--
-- Name: api_tokens api_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_tokens
    ADD CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: approval_reads approval_reads_approval_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approval_reads
    ADD CONSTRAINT approval_reads_approval_id_fkey FOREIGN KEY (approval_id) REFERENCES public.approvals(id);


--
-- Name: approval_reads approval_reads_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approval_reads
    ADD CONSTRAINT approval_reads_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: approvals approvals_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: approvals approvals_recorded_by_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_recorded_by_org_id_fkey FOREIGN KEY (recorded_by_org_id) REFERENCES public.orgs(id);


--
-- Name: approvals approvals_township_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_township_org_id_fkey FOREIGN KEY (township_org_id) REFERENCES public.orgs(id);


--
-- Name: assessment_results assessment_results_published_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_results
    ADD CONSTRAINT assessment_results_published_by_fkey FOREIGN KEY (published_by) REFERENCES public.users(id);


--
-- Name: assessment_results assessment_results_scheme_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_results
    ADD CONSTRAINT assessment_results_scheme_id_fkey FOREIGN KEY (scheme_id) REFERENCES public.assessment_schemes(id);


--
-- Name: assessment_schemes assessment_schemes_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_schemes
    ADD CONSTRAINT assessment_schemes_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: calendar_years calendar_years_loaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendar_years
    ADD CONSTRAINT calendar_years_loaded_by_fkey FOREIGN KEY (loaded_by) REFERENCES public.users(id);


--
-- Name: collaboration_documents collaboration_documents_collaboration_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_documents
    ADD CONSTRAINT collaboration_documents_collaboration_id_fkey FOREIGN KEY (collaboration_id) REFERENCES public.collaborations(id);


--
-- Name: collaboration_documents collaboration_documents_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_documents
    ADD CONSTRAINT collaboration_documents_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id);


--
-- Name: collaboration_extensions collaboration_extensions_approved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_extensions
    ADD CONSTRAINT collaboration_extensions_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES public.users(id);


--
-- Name: collaboration_extensions collaboration_extensions_collaboration_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_extensions
    ADD CONSTRAINT collaboration_extensions_collaboration_id_fkey FOREIGN KEY (collaboration_id) REFERENCES public.collaborations(id);


--
-- Name: collaboration_extensions collaboration_extensions_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_extensions
    ADD CONSTRAINT collaboration_extensions_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.users(id);


--
-- Name: collaboration_materials collaboration_materials_collaboration_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_materials
    ADD CONSTRAINT collaboration_materials_collaboration_id_fkey FOREIGN KEY (collaboration_id) REFERENCES public.collaborations(id);


--
-- Name: collaboration_materials collaboration_materials_file_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_materials
    ADD CONSTRAINT collaboration_materials_file_id_fkey FOREIGN KEY (file_id) REFERENCES public.files(sha256);


--
-- Name: collaboration_rounds collaboration_rounds_approved_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_approved_by_fkey FOREIGN KEY (approved_by) REFERENCES public.users(id);


--
-- Name: collaboration_rounds collaboration_rounds_collaboration_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_collaboration_id_fkey FOREIGN KEY (collaboration_id) REFERENCES public.collaborations(id);


--
-- Name: collaboration_rounds collaboration_rounds_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id);


--
-- Name: collaboration_rounds collaboration_rounds_drafted_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_drafted_by_fkey FOREIGN KEY (drafted_by) REFERENCES public.users(id);


--
-- Name: collaboration_rounds collaboration_rounds_duty_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_duty_id_fkey FOREIGN KEY (duty_id) REFERENCES public.duties(id);


--
-- Name: collaboration_rounds collaboration_rounds_file_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaboration_rounds
    ADD CONSTRAINT collaboration_rounds_file_id_fkey FOREIGN KEY (file_id) REFERENCES public.files(sha256);


--
-- Name: collaborations collaborations_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations
    ADD CONSTRAINT collaborations_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: collaborations collaborations_dispatch_duty_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations
    ADD CONSTRAINT collaborations_dispatch_duty_id_fkey FOREIGN KEY (dispatch_duty_id) REFERENCES public.duties(id);


--
-- Name: collaborations collaborations_from_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations
    ADD CONSTRAINT collaborations_from_org_id_fkey FOREIGN KEY (from_org_id) REFERENCES public.orgs(id);


--
-- Name: collaborations collaborations_referral_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations
    ADD CONSTRAINT collaborations_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES public.referrals(id);


--
-- Name: collaborations collaborations_to_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.collaborations
    ADD CONSTRAINT collaborations_to_org_id_fkey FOREIGN KEY (to_org_id) REFERENCES public.orgs(id);


--
-- Name: coord_item_documents coord_item_documents_document_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_documents
    ADD CONSTRAINT coord_item_documents_document_id_fkey FOREIGN KEY (document_id) REFERENCES public.documents(id);


--
-- Name: coord_item_documents coord_item_documents_item_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_documents
    ADD CONSTRAINT coord_item_documents_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.coord_items(id);


--
-- Name: coord_item_files coord_item_files_item_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_files
    ADD CONSTRAINT coord_item_files_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.coord_items(id);


--
-- Name: coord_item_orgs coord_item_orgs_item_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_orgs
    ADD CONSTRAINT coord_item_orgs_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.coord_items(id);


--
-- Name: coord_item_orgs coord_item_orgs_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_item_orgs
    ADD CONSTRAINT coord_item_orgs_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);


--
-- Name: coord_items coord_items_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_items
    ADD CONSTRAINT coord_items_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: coord_items coord_items_from_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_items
    ADD CONSTRAINT coord_items_from_org_id_fkey FOREIGN KEY (from_org_id) REFERENCES public.orgs(id);


--
-- Name: coord_items coord_items_referral_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_items
    ADD CONSTRAINT coord_items_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES public.referrals(id);


--
-- Name: coord_items coord_items_to_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_items
    ADD CONSTRAINT coord_items_to_org_id_fkey FOREIGN KEY (to_org_id) REFERENCES public.orgs(id);


--
-- Name: coord_messages coord_messages_item_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_messages
    ADD CONSTRAINT coord_messages_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.coord_items(id);


--
-- Name: coord_messages coord_messages_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_messages
    ADD CONSTRAINT coord_messages_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);


--
-- Name: coord_messages coord_messages_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.coord_messages
    ADD CONSTRAINT coord_messages_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: deliveries deliveries_notification_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.deliveries
    ADD CONSTRAINT deliveries_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(id);


--
-- Name: doc_counters doc_counters_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.doc_counters
    ADD CONSTRAINT doc_counters_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);


--
-- Name: documents documents_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: documents documents_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);


--
-- Name: documents documents_referral_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES public.referrals(id);


--
-- Name: duties duties_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duties
    ADD CONSTRAINT duties_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: duties duties_owner_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duties
    ADD CONSTRAINT duties_owner_org_id_fkey FOREIGN KEY (owner_org_id) REFERENCES public.orgs(id);


--
-- Name: duty_events duty_events_actor_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duty_events
    ADD CONSTRAINT duty_events_actor_user_id_fkey FOREIGN KEY (actor_user_id) REFERENCES public.users(id);


--
-- Name: duty_events duty_events_duty_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duty_events
    ADD CONSTRAINT duty_events_duty_id_fkey FOREIGN KEY (duty_id) REFERENCES public.duties(id);


--
-- Name: escalations escalations_duty_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_duty_id_fkey FOREIGN KEY (duty_id) REFERENCES public.duties(id);


--
-- Name: escalations escalations_to_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.escalations
    ADD CONSTRAINT escalations_to_org_id_fkey FOREIGN KEY (to_org_id) REFERENCES public.orgs(id);


--
-- Name: file_refs file_refs_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_refs
    ADD CONSTRAINT file_refs_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);


--
-- Name: file_refs file_refs_sha256_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_refs
    ADD CONSTRAINT file_refs_sha256_fkey FOREIGN KEY (sha256) REFERENCES public.files(sha256);


--
-- Name: file_refs file_refs_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.file_refs
    ADD CONSTRAINT file_refs_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.users(id);


--
-- Name: matter_delegations matter_delegations_matter_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matter_delegations
    ADD CONSTRAINT matter_delegations_matter_id_fkey FOREIGN KEY (matter_id) REFERENCES public.matters(id);


--
-- Name: matter_delegations matter_delegations_township_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matter_delegations
    ADD CONSTRAINT matter_delegations_township_org_id_fkey FOREIGN KEY (township_org_id) REFERENCES public.orgs(id);


--
-- Name: matter_owners matter_owners_matter_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matter_owners
    ADD CONSTRAINT matter_owners_matter_id_fkey FOREIGN KEY (matter_id) REFERENCES public.matters(id);


--
-- Name: matter_owners matter_owners_owner_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matter_owners
    ADD CONSTRAINT matter_owners_owner_org_id_fkey FOREIGN KEY (owner_org_id) REFERENCES public.orgs(id);


--
-- Name: matters matters_owner_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matters
    ADD CONSTRAINT matters_owner_org_id_fkey FOREIGN KEY (owner_org_id) REFERENCES public.orgs(id);


--
-- Name: notifications notifications_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: orgs orgs_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.orgs(id);


--
-- Name: orgs orgs_region_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.orgs
    ADD CONSTRAINT orgs_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.regions(code);


--
-- Name: referral_evidence referral_evidence_file_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_evidence
    ADD CONSTRAINT referral_evidence_file_id_fkey FOREIGN KEY (file_id) REFERENCES public.files(sha256);


--
-- Name: referral_evidence referral_evidence_referral_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_evidence
    ADD CONSTRAINT referral_evidence_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES public.referrals(id);


--
-- Name: referrals referrals_coord_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_coord_decided_by_fkey FOREIGN KEY (coord_decided_by) REFERENCES public.users(id);


--
-- Name: referrals referrals_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: referrals referrals_from_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_from_org_id_fkey FOREIGN KEY (from_org_id) REFERENCES public.orgs(id);


--
-- Name: referrals referrals_matter_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_matter_id_fkey FOREIGN KEY (matter_id) REFERENCES public.matters(id);


--
-- Name: referrals referrals_matter_owner_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_matter_owner_org_id_fkey FOREIGN KEY (matter_owner_org_id) REFERENCES public.orgs(id);


--
-- Name: referrals referrals_to_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_to_org_id_fkey FOREIGN KEY (to_org_id) REFERENCES public.orgs(id);


--
-- Name: referrals referrals_township_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_township_org_id_fkey FOREIGN KEY (township_org_id) REFERENCES public.orgs(id);


--
-- Name: referrals referrals_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referrals
    ADD CONSTRAINT referrals_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.orgs(id);


--
-- Name: regions regions_parent_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.regions
    ADD CONSTRAINT regions_parent_code_fkey FOREIGN KEY (parent_code) REFERENCES public.regions(code);


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: user_contacts user_contacts_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.user_contacts
    ADD CONSTRAINT user_contacts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: users users_org_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.orgs(id);


--
-- Name: users users_region_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_region_code_fkey FOREIGN KEY (region_code) REFERENCES public.regions(code);


--
-- Name: users users_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.orgs(id);


--
-- PostgreSQL database dump complete
--


INSERT INTO public.schema_migrations VALUES (1, 1764032400000);
INSERT INTO public.schema_migrations VALUES (2, 1764032400000);
INSERT INTO public.schema_migrations VALUES (3, 1764032400000);
INSERT INTO public.schema_migrations VALUES (4, 1764032400000);
INSERT INTO public.schema_migrations VALUES (5, 1764032400000);
INSERT INTO public.schema_migrations VALUES (6, 1764032400000);
INSERT INTO public.schema_migrations VALUES (7, 1764032400000);
INSERT INTO public.schema_migrations VALUES (8, 1764032400000);
INSERT INTO public.schema_migrations VALUES (9, 1764032400000);
INSERT INTO public.schema_migrations VALUES (10, 1764032400000);
INSERT INTO public.schema_migrations VALUES (11, 1764032400000);
INSERT INTO public.schema_migrations VALUES (12, 1764032400000);
INSERT INTO public.schema_migrations VALUES (13, 1764032400000);
-- xietong sample data (valid at every version)
INSERT INTO orgs (id, code, name, short_name, kind, parent_id, active, created_at) VALUES ('1', 'coordinator', '中共新兴县委全面依法治县委员会办公室', '县委依法治县办', '1', NULL, '1', '1796708564041');
INSERT INTO users (id, username, display_name, org_id, unit_id, roles, password_hash, disabled, failed_logins, locked_until, created_at) VALUES ('1', 'admin', '陈志强', '1', NULL, '64', '$argon2id$v=19$m=65536,t=2,p=1$ANgRIfro0cxWCNTd0Lva9g$xJ7pzTVI5WO4EKfhrcExviEK97ZK1Zun6ijtYAzN/Lw', '0', '0', NULL, '1796708564052');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('1', '1796708564041', NULL, NULL, 'org.create', 'org', '1', '新建机构：中共新兴县委全面依法治县委员会办公室', '{"id":1,"code":"coordinator","name":"中共新兴县委全面依法治县委员会办公室","short_name":"县委依法治县办","kind":"coordinator","kind_label":"县委依法治县办","parent_id":null,"region_code":null,"active":true,"doc_prefix":"新法治办"}', '418d6e2ad806faff024178a80d3ca1ea7fe4b504bc6c715f1c7559099a1c1155', '0000000000000000000000000000000000000000000000000000000000000000', '0dd5187444f78a80b11442746efc0a3997e07d18e0344986dca1b85d5f247f6e');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('2', '1796708564042', NULL, NULL, 'org.create', 'org', '2', '新建机构：新兴县人民政府', '{"id":2,"code":"government","name":"新兴县人民政府","short_name":"县人民政府","kind":"government","kind_label":"县人民政府","parent_id":null,"region_code":null,"active":true,"doc_prefix":"新府"}', '8f7fc2b9abd668f5ee994f45f7ca0ea3b1bc3116dbdcc5b46af8c6e109106c0b', '0dd5187444f78a80b11442746efc0a3997e07d18e0344986dca1b85d5f247f6e', '37362c50c31d3ec7b76983c35abda209b508e79f85b010b52deaefbc56107813');
INSERT INTO audit (seq, at, actor_user_id, actor_org_id, action, object_type, object_id, summary, detail, detail_digest, prev_hash, hash) VALUES ('3', '1796708564043', NULL, NULL, 'org.create', 'org', '3', '新建机构：新城镇综合行政执法办公室', '{"id":3,"code":"xincheng","name":"新城镇综合行政执法办公室","short_name":"新城镇","kind":"township","kind_label":"乡镇综合行政执法部门","parent_id":null,"region_code":null,"active":true,"doc_prefix":"新城执"}', 'bc71d4eb5f4fa7cbcc52eb856daa8ca008a85514a805237d03f29f910abf232e', '37362c50c31d3ec7b76983c35abda209b508e79f85b010b52deaefbc56107813', '869cf6923b0c1f6785391d2d1a4edd16361fa094e1df607ecd1c3192110c0970');
SELECT setval(pg_get_serial_sequence('orgs', 'id'), (SELECT MAX(id) FROM orgs));
SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX(id) FROM users));
SELECT setval(pg_get_serial_sequence('audit', 'seq'), (SELECT MAX(seq) FROM audit));
