/**
 * Data map of learning. Course content (texts, modules, lessons, search
 * columns) is not personal data. What links a course to a person is: the
 * account that created it and the instructors a course page names. Those
 * links are personal data of the instructor, who sees them in their export;
 * erasure unlinks (creator) or deletes (instructor rows), and the course
 * itself stays for its learners.
 *
 * The learner's records — enrolments, lesson progress, quiz attempts and
 * answers — are personal data of the learner (category `learning`, purpose
 * `service`: distance learning, T-3.1.1), kept as long as the account
 * (T-4.5.2) and deleted with it. Quiz questions and options are course
 * content. Search history (B-2.2, category `behaviour`) is kept only while
 * its consent is on, encrypted under the learner's key.
 */
import { defineDataMap, notPersonal, type PersonalColumn } from '../../platform/data-map/data-map'

const content = (note: string) => notPersonal(`Course content: ${note}`)

/** A learner's learning record (T-3.1.1; kept as long as the account, T-4.5.2). */
const learningRecord = (note: string, source: 'user' | 'operator' | 'derived' = 'derived'): PersonalColumn => ({
  category: 'learning',
  purposes: ['service'],
  source,
  export: 'include',
  erase: 'delete',
  note: `${note}. Kept as long as the account (T-4.5.2); deleted with it`,
})

const instructorLink = (note: string): PersonalColumn => ({
  category: 'identity',
  purposes: ['service'],
  source: 'operator',
  export: 'include',
  erase: 'delete',
  note: `${note}. Deleted with the instructor's row at erasure; the course stays`,
})

export const learningDataMap = defineDataMap({
  module: 'learning',
  tables: {
    courses: {
      description: 'Courses of the catalogue: language, level, hours, price and publication state',
      subjectColumn: 'created_by',
      columns: {
        id: notPersonal('Random course id (UUID)'),
        slug: content('the stable URL name'),
        languages: content('languages the course is taught in'),
        level: content('beginner, intermediate or advanced'),
        duration_hours: content('expected study hours'),
        price_kzt: content('price in tenge; null when free'),
        status: content('draft, published or archived'),
        cover_image_path: content('path of the cover picture'),
        demo: content('seeded demo course, shown with a badge'),
        published_at: content('when the course was first published'),
        created_at: content('when the course was created'),
        updated_at: content('when the course last changed'),
        created_by: {
          category: 'identity',
          purposes: ['service', 'security'],
          source: 'operator',
          export: 'include',
          erase: 'nullify',
          note: 'Id of the account that created the course (an instructor or admin). Set to null at erasure, so the course no longer points at the person',
        },
      },
    },
    course_translations: {
      description: "A course's title and summary in one language, with the search columns derived from them",
      columns: {
        course_id: notPersonal('The course'),
        locale: content('kk, ru or en'),
        title: content('title'),
        summary: content('short description'),
        search_text: content('lower-case words of title and summary, for typo matching'),
        search_trigrams: content('trigrams of those words, for databases without pg_trgm'),
        search_vector: content('normalised lexemes for full-text search'),
      },
    },
    course_modules: {
      description: 'Ordered modules of a course',
      columns: {
        id: notPersonal('Random module id (UUID)'),
        course_id: notPersonal('The course'),
        position: content('order within the course'),
      },
    },
    course_module_translations: {
      description: "A module's title in one language",
      columns: {
        module_id: notPersonal('The module'),
        locale: content('kk, ru or en'),
        title: content('module title'),
      },
    },
    lessons: {
      description: 'Ordered lessons of a module: text, video or quiz',
      columns: {
        id: notPersonal('Random lesson id (UUID)'),
        module_id: notPersonal('The module'),
        position: content('order within the module'),
        kind: content('text, video or quiz'),
        video_url: content('https address of the lesson video'),
        required: content('whether completing the course needs the lesson'),
        duration_minutes: content('expected minutes'),
      },
    },
    lesson_translations: {
      description: "A lesson's title and Markdown body in one language",
      columns: {
        lesson_id: notPersonal('The lesson'),
        locale: content('kk, ru or en'),
        title: content('lesson title'),
        body_markdown: content('lesson text in Markdown'),
      },
    },
    course_instructors: {
      description: 'Instructors named on a course page, in order',
      subjectColumn: 'user_id',
      columns: {
        id: notPersonal('Random row id (UUID)'),
        course_id: instructorLink('Which course the instructor teaches'),
        user_id: instructorLink("The instructor's account; null for a named guest or demo instructor"),
        display_name: {
          ...instructorLink('The name the course page shows publicly, as the instructor or an admin gave it'),
          source: 'user',
        },
        position: instructorLink('Order among the course instructors'),
      },
    },
    enrolments: {
      description: "A learner's enrolment in a course: status, dates, the last lesson opened (T-3.1.1, T-4.5)",
      subjectColumn: 'user_id',
      columns: {
        id: learningRecord('Random enrolment id (UUID)', 'operator'),
        user_id: learningRecord('The learner', 'user'),
        course_id: learningRecord('The course the learner enrolled in', 'user'),
        status: learningRecord('active or completed'),
        enrolled_at: learningRecord('When the learner enrolled', 'operator'),
        completed_at: learningRecord('When every required lesson was done'),
        last_lesson_id: learningRecord('The lesson opened last, for "continue where you stopped"'),
        last_visited_at: learningRecord('When that lesson was opened'),
      },
    },
    lesson_progress: {
      description: 'Which lessons of an enrolment are done, and when',
      columns: {
        enrolment_id: learningRecord('The enrolment (and through it the learner)', 'operator'),
        lesson_id: learningRecord('The lesson done', 'user'),
        completed_at: learningRecord('When it was done', 'operator'),
      },
    },
    quiz_settings: {
      description: "A quiz lesson's pass mark, attempts limit, shuffling and version",
      columns: {
        lesson_id: notPersonal('The quiz lesson'),
        pass_percent: content('score that passes'),
        max_attempts: content('attempts allowed; null = unlimited'),
        shuffle_options: content('whether options are shuffled per attempt'),
        version: content('grows with every edit'),
        updated_at: content('when the quiz last changed'),
      },
    },
    quiz_questions: {
      description: 'Questions of a quiz: single choice, multiple choice or short answer',
      columns: {
        id: notPersonal('Random question id (UUID)'),
        lesson_id: notPersonal('The quiz lesson'),
        position: content('order within the quiz'),
        kind: content('single, multiple or short'),
        prompt: content('question text per language'),
        explanation: content('explanation shown after answering, per language'),
        accepted_answers: content('accepted short answers'),
      },
    },
    quiz_options: {
      description: 'Answer options of a choice question',
      columns: {
        id: notPersonal('Random option id (UUID)'),
        question_id: notPersonal('The question'),
        position: content('order as authored'),
        label: content('option text per language'),
        correct: content('whether the option is right'),
      },
    },
    quiz_attempts: {
      description: "A learner's attempt at a quiz: the order shown, score and result",
      columns: {
        id: learningRecord('Random attempt id (UUID)', 'operator'),
        enrolment_id: learningRecord('The enrolment (and through it the learner)', 'operator'),
        lesson_id: learningRecord('The quiz lesson', 'user'),
        number: learningRecord('1-based attempt number'),
        quiz_version: learningRecord('Version of the quiz the attempt showed', 'operator'),
        option_order: learningRecord('Option order shown in this attempt (random)', 'operator'),
        started_at: learningRecord('When the attempt began', 'operator'),
        submitted_at: learningRecord('When it was submitted', 'operator'),
        score_percent: learningRecord('Score in whole percent'),
        correct_count: learningRecord('Questions answered right'),
        question_count: learningRecord('Questions asked'),
        passed: learningRecord('Whether the score met the pass mark'),
      },
    },
    quiz_answers: {
      description: "A learner's answer to one question of an attempt, and whether it was right",
      columns: {
        attempt_id: learningRecord('The attempt', 'operator'),
        question_id: learningRecord('The question as it was (kept after the quiz is edited)', 'operator'),
        chosen_option_ids: learningRecord('Options the learner chose', 'user'),
        text_answer: learningRecord('Short answer the learner typed', 'user'),
        correct: learningRecord('Whether the answer was right'),
      },
    },
    search_queries: {
      description: "The learner's catalogue searches, kept only while the search-history consent is on (B-2.2)",
      subjectColumn: 'user_id',
      columns: {
        id: notPersonal('Random row id (UUID)'),
        user_id: {
          category: 'behaviour',
          purposes: ['personalisation'],
          source: 'user',
          export: 'include',
          erase: 'delete',
          note: 'Whose search it was; the learner clears the history on /learn',
        },
        query_ciphertext: {
          category: 'behaviour',
          purposes: ['personalisation'],
          source: 'user',
          export: 'include',
          erase: 'delete',
          encrypted: true,
          note: "The query text, encrypted under the learner's key; newest 50 kept; cleared by the learner",
        },
        searched_at: {
          category: 'behaviour',
          purposes: ['personalisation'],
          source: 'derived',
          export: 'include',
          erase: 'delete',
          note: 'When the learner searched',
        },
      },
    },
    course_media: {
      description: 'Files authors upload: course cover pictures (re-encoded, metadata stripped) and lesson attachments',
      subjectColumn: 'created_by',
      columns: {
        id: notPersonal('Random file id (UUID)'),
        course_id: notPersonal('The course'),
        lesson_id: notPersonal('The lesson an attachment belongs to; null for a cover'),
        kind: content('cover or attachment'),
        content_type: content('type decided from the bytes'),
        file_name: content('name an attachment is downloaded under'),
        byte_size: content('size in bytes'),
        bytes: content('the file; covers are re-encoded so no camera or location metadata is kept'),
        created_at: content('when the file was uploaded'),
        created_by: {
          category: 'identity',
          purposes: ['service', 'security'],
          source: 'operator',
          export: 'include',
          erase: 'nullify',
          note: 'Id of the account that uploaded the file. Set to null at erasure; the file stays with the course',
        },
      },
    },
  },
})
